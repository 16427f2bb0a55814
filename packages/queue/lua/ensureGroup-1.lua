--[[
  Creates a stream's consumer group (and the stream) unless it exists. As a script, the call is
  routed by its key, which Redis Cluster clients cannot do for XGROUP's subcommand form.

  KEYS[1] stream
  ARGV[1] group name

  Returns: 1 created, 0 already there
]]
local ok = pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
if ok then return 1 end
return 0
