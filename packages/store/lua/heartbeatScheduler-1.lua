--[[
  Records that a scheduler is alive and counts the live ones, so each can take its fair share of
  shards. Times are Redis's clock.

  KEYS[1] live schedulers (sorted set: member = scheduler id, score = expiry in ms)
  ARGV[1] scheduler id   ARGV[2] time to live in ms ('0' removes the scheduler)

  Returns: the number of live schedulers
]]
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if tonumber(ARGV[2]) > 0 then
  redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return redis.call('ZCARD', KEYS[1])
