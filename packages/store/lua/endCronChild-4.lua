--[[
  Moves an ended child workflow of a CronWorkflow from its active children to its history and counts
  it, once: of several schedulers seeing the same child end, only the first counts it.

  KEYS[1] the CronWorkflow's status hash (fields succeeded, failed)
  KEYS[2] its active children hash (uid -> name)
  KEYS[3] its succeeded children (sorted set of "<uid> <name>" by end time)
  KEYS[4] its failed children (the same)
  ARGV[1] the child's uid
  ARGV[2] the child's name
  ARGV[3] succeeded | failed
  ARGV[4] when it was seen to end, Unix milliseconds

  Returns: 1 moved and counted; 0 it was not active (moved already)
]]
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
local history = KEYS[4]
if ARGV[3] == 'succeeded' then history = KEYS[3] end
redis.call('ZADD', history, ARGV[4], ARGV[1] .. ' ' .. ARGV[2])
return 1
