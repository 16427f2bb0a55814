--[[
  The last step of a submission: appends `workflowSubmitted` to the shard stream and ends the
  submission in progress, together, so a crash leaves either both or neither. The entry has the
  fields ShardStreams writes: 'u' uid, 'e' event JSON.

  KEYS[1] the shard's submissions in progress (sorted set)   KEYS[2] the shard's event stream
  ARGV[1] the workflow's uid   ARGV[2] the event JSON

  Returns: 1 announced
           0 no submission in progress for this uid (a sweep finished it, either way)
          -1 a sweep is rolling it back
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
if tonumber(score) < 0 then return -1 end
redis.call('XADD', KEYS[2], '*', 'u', ARGV[1], 'e', ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
