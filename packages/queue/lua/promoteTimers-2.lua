--[[
  Moves the shard's timers that are due onto its event stream, oldest first, in one step: a timer is
  either still in the sorted set or already an event, never both and never neither.

  KEYS[1] timers (sorted set; member = JSON {"u":uid,"e":event}, score = due time in ms)
  KEYS[2] events (stream)
  ARGV[1] now in ms
  ARGV[2] most timers moved per call

  Returns: how many were moved
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local timer = cjson.decode(member)
  redis.call('XADD', KEYS[2], '*', 'u', timer.u, 'e', cjson.encode(timer.e))
  redis.call('ZREM', KEYS[1], member)
end
return #due
