--[[
  Extends a shard lease only if the caller still holds it with the same epoch (compare-and-expire).

  KEYS[1] lease key
  ARGV[1] owner id   ARGV[2] epoch   ARGV[3] lease duration in ms

  Returns: 1 renewed, 0 lost
]]
local stored = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
