--[[
  Schedules one timer and records it in its workflow's index in the same step, so that deleting the
  workflow finds every timer it still has (see deleteWorkflowTimers-2.lua in @regatta/store).

  KEYS[1] timers (sorted set; member = JSON {"u":uid,"e":event}, score = due time in ms)
  KEYS[2] the workflow's timer index: KEYS[1] .. ':' .. uid (set of its members in KEYS[1])
  ARGV[1] due time in ms
  ARGV[2] member

  Returns: 1
]]
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
