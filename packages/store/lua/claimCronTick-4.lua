--[[
  Claims one tick of a CronWorkflow for the caller, so that of several schedulers looking at the same
  tick exactly one handles it (fires a workflow, or decides to skip it). Ticks only move forward: a
  tick at or before the last one handled is refused, so a late scheduler cannot fire an older one.
  A tick claimed to fire records its child in the same step - active (so Forbid and the history
  limits see it from now on) and pending until submitted - so a scheduler that dies before or while
  submitting it leaves the child for the next pass to submit, with the same uid and name, rather than
  a lost tick or a child nobody tracks.

  KEYS[1] the CronWorkflows hash (field <namespace>/<name> -> spec JSON)
  KEYS[2] the CronWorkflow's status hash
  KEYS[3] its active children hash (uid -> name)
  KEYS[4] its children claimed and not yet submitted (uid -> pending JSON)
  ARGV[1] the CronWorkflow's field
  ARGV[2] the tick, Unix milliseconds
  ARGV[3] the child's uid, or '' for a tick skipped
  ARGV[4] the child's name   ARGV[5] its scheduled time (RFC 3339)   ARGV[6] its pending JSON

  Returns: 1 claimed: the caller handles this tick
           0 this tick, or a later one, was handled already
          -1 the CronWorkflow is gone
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
local handled = tonumber(redis.call('HGET', KEYS[2], 'handledTick'))
local tick = tonumber(ARGV[2])
if handled and handled >= tick then return 0 end
redis.call('HSET', KEYS[2], 'handledTick', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[6])
  redis.call('HSET', KEYS[2], 'lastScheduledTime', ARGV[5])
end
return 1
