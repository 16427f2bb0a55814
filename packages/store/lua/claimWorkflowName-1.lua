--[[
  Claims a workflow name in its namespace for a uid: free, already this uid's, or held by a uid the
  caller found to have no record (a workflow deleted, or a submission rolled back, whose name was
  left behind by a crash) - compare-and-set, so a name taken meanwhile by a live workflow is kept.

  KEYS[1] the namespace's name index (hash: name -> uid)
  ARGV[1] the name   ARGV[2] the uid claiming it   ARGV[3] a uid that may be replaced, or ''

  Returns: '' claimed; otherwise the uid that holds the name
]]
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder and holder ~= ARGV[2] and holder ~= ARGV[3] then return holder end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ''
