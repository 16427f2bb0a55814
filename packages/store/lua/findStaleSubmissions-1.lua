--[[
  Submissions in progress begun longer ago than a given age by Redis's clock (the one that timed
  them), and those being rolled back: the ones a sweep finishes or undoes.

  KEYS[1] the shard's submissions in progress (sorted set)
  ARGV[1] the age, ms   ARGV[2] at most this many

  Returns: their uids, oldest (and rolled back) first
]]
local now = redis.call('TIME')
local before = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. before, 'LIMIT', 0, tonumber(ARGV[2]))
