--[[
  Takes the lock grants whose holders have not been told for a while (the scheduler that granted them
  crashed or failed to write the event), for the caller to tell again. Each taken grant is stamped
  with now, so another sweep (this or another scheduler) leaves it alone for the same while.

  KEYS[1] untold grants (sorted set: holder meta -> when granted or last taken, ms on Redis's clock)
  ARGV[1] how long a grant may stay untold, in ms   ARGV[2] at most this many grants

  Returns: { now (ms), meta of every grant taken... }
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local reply = { now }
for _, meta in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))) do
  redis.call('ZADD', KEYS[1], 'XX', now, meta)
  reply[#reply + 1] = meta
end
return reply
