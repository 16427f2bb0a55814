--[[
  Moves the shard's timers that are due onto its event stream, oldest first, in one step: a timer is
  either still in the sorted set or already an event, never both and never neither. Each one leaves
  its workflow's timer index too (an emptied set is gone, so nothing is left of it).

  KEYS[1] timers (sorted set; member = JSON {"u":uid,"e":event}, score = due time in ms)
  KEYS[2] events (stream)
  ARGV[1] now in ms
  ARGV[2] most timers moved per call
  Also writes, undeclared, each moved timer's index KEYS[1] .. ':' .. uid: the uids are known only
  once the set is read, and the name extends KEYS[1], so it keeps KEYS[1]'s hash tag {s<n>} and the
  script stays in one slot on Redis Cluster (as BullMQ's scripts derive keys from their prefix).

  Returns: how many were moved
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local timer = cjson.decode(member)
  redis.call('XADD', KEYS[2], '*', 'u', timer.u, 'e', cjson.encode(timer.e))
  redis.call('ZREM', KEYS[1], member)
  redis.call('SREM', KEYS[1] .. ':' .. timer.u, member)
end
return #due
