--[[
  Notes that a workflow's submission has begun, before anything else of it is written, so that the
  shard's sweep finishes or undoes it if the submitter dies half-way. Timed by Redis's clock, so the
  sweep's "older than" does not depend on any client's clock.

  KEYS[1] the shard's submissions in progress (sorted set: uid -> when begun, ms; -1 while rolled back)
  ARGV[1] the workflow's uid

  Returns: 1 noted (again, for a submission run a second time)
           0 refused: a sweep is rolling this uid's earlier attempt back
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < 0 then return 0 end
local now = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), ARGV[1])
return 1
