--[[
  Marks a submission in progress as rolled back (score -1) before the sweep removes what it wrote:
  from then on its submitter's announce is refused, so a workflow is never both announced and undone.

  KEYS[1] the shard's submissions in progress (sorted set)
  ARGV[1] the workflow's uid

  Returns: 1 marked (or marked already); 0 no submission in progress (it was announced meanwhile)
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', -1, ARGV[1])
return 1
