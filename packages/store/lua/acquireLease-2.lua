--[[
  Grants a shard lease to an owner if it is free or already theirs, with a fencing epoch that grows
  on every new grant. Expiry is Redis's clock, never a client's.

  KEYS[1] lease key   KEYS[2] epoch counter
  ARGV[1] owner id   ARGV[2] lease duration in ms

  Returns: the epoch (> 0) when held by the owner now, 0 when someone else holds it
]]
local holder = redis.call('HGET', KEYS[1], 'owner')
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'epoch'))
end
if holder then return 0 end
local epoch = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', epoch)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return epoch
