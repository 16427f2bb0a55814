--[[
  Replaces a stored resource only while it is still the one the caller read (compare-and-set), so an
  update never brings back a resource deleted meanwhile nor silently drops a change made meanwhile;
  the caller reads again and retries on -1.

  KEYS[1] the kind's hash (field: <namespace>/<name>, or <name> for cluster-scoped kinds)
  ARGV[1] the field
  ARGV[2] the resource JSON as read
  ARGV[3] the new resource JSON

  Returns: 1 replaced
           0 no such resource; nothing written
          -1 changed since it was read; nothing written
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
if current ~= ARGV[2] then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
