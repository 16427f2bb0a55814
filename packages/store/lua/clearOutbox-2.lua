--[[
  Removes the commands just carried out from the head of a workflow's outbox, only if they are still
  there: the first and the last of them must be where they were. Outbox entries are unique (the
  scheduler tags each with its transition and place), so a late or repeated clear can never remove
  commands stored after them and not yet carried out. Refused when a newer lease epoch owns the
  workflow (its owner re-drives the outbox itself).

  KEYS[1] workflow record   KEYS[2] outbox
  ARGV[1] lease epoch   ARGV[2] number of commands carried out
  ARGV[3] the first of them   ARGV[4] the last of them

  Returns: 1 cleared, 0 not at the head any more (nothing removed), -1 fenced
]]
local stored = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
if stored > tonumber(ARGV[1]) then return -1 end
local count = tonumber(ARGV[2])
if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[3] or redis.call('LINDEX', KEYS[2], count - 1) ~= ARGV[4] then return 0 end
redis.call('LTRIM', KEYS[2], count, -1)
return 1
