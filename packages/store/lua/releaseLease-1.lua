--[[
  Gives a shard lease back on a clean shutdown so another scheduler need not wait for expiry.

  KEYS[1] lease key
  ARGV[1] owner id   ARGV[2] epoch

  Returns: 1 released, 0 not held by the caller
]]
local stored = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1
