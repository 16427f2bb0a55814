--[[
  Removes the first N outbox commands once they have been carried out, unless a newer lease epoch
  owns the workflow now (its owner re-drives the outbox itself).

  KEYS[1] workflow record   KEYS[2] outbox
  ARGV[1] lease epoch   ARGV[2] number of commands carried out

  Returns: 1 cleared, -1 fenced
]]
local stored = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
if stored > tonumber(ARGV[1]) then return -1 end
redis.call('LTRIM', KEYS[2], tonumber(ARGV[2]), -1)
return 1
