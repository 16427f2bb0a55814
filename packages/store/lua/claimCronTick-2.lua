--[[
  Claims one tick of a CronWorkflow for the caller, so that of several schedulers looking at the same
  tick exactly one handles it (fires a workflow, or decides to skip it). Ticks only move forward: a
  tick at or before the last one handled is refused, so a late scheduler cannot fire an older one.

  KEYS[1] the CronWorkflows hash (field <namespace>/<name> -> spec JSON)
  KEYS[2] the CronWorkflow's status hash
  ARGV[1] the CronWorkflow's field
  ARGV[2] the tick, Unix milliseconds

  Returns: 1 claimed: the caller handles this tick
           0 this tick, or a later one, was handled already
          -1 the CronWorkflow is gone
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
local handled = tonumber(redis.call('HGET', KEYS[2], 'handledTick'))
local tick = tonumber(ARGV[2])
if handled and handled >= tick then return 0 end
redis.call('HSET', KEYS[2], 'handledTick', ARGV[2])
return 1
