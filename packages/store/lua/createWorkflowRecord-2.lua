--[[
  Writes a new workflow's record, with the nodes it starts with (a memoized resubmission's), in one
  step, unless the record exists: a submission run again for the same uid (a cron tick resumed after
  a crash) must never reset a workflow that is already running.

  KEYS[1] workflow record (hash)   KEYS[2] nodes (hash)
  ARGV[1] resource JSON (metadata and spec)   ARGV[2] status JSON   ARGV[3] shard
  then pairs of node id, node JSON

  Returns: 1 written; 0 the record existed (nothing written)
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
-- Straight from ARGV, in chunks: a call takes at most a few thousand arguments comfortably.
for start = 4, #ARGV, 1000 do
  redis.call('HSET', KEYS[2], unpack(ARGV, start, math.min(start + 999, #ARGV)))
end
redis.call('HSET', KEYS[1], 'resource', ARGV[1], 'status', ARGV[2], 'version', 0, 'epoch', 0, 'shard', ARGV[3])
return 1
