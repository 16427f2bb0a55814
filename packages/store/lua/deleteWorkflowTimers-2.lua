--[[
  Removes a deleted workflow's pending timers from its shard's sorted set, and their index, in one
  step. The index is kept in step with the set by scheduleTimer-2.lua and promoteTimers-2.lua
  (@regatta/queue), so it names every timer of the workflow still pending.

  KEYS[1] the shard's timers (sorted set; member = JSON {"u":uid,"e":event})
  KEYS[2] the workflow's timer index: KEYS[1] .. ':' .. uid (set of its members in KEYS[1])

  Returns: how many timers were removed
]]
local removed = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  removed = removed + redis.call('ZREM', KEYS[1], member)
end
redis.call('DEL', KEYS[2])
return removed
