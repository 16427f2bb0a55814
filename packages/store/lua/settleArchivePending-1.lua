--[[
  Removes a workflow's uid from the archive's pending set once its row is committed, unless it was
  marked again meanwhile (the workflow retried and ended anew): that newer mark must stay.

  KEYS[1] pending set (sorted set, uid -> when to look next)
  ARGV[1] uid   ARGV[2] its score when the archiver read it, or '' when it was not pending then

  Returns: 1 removed, 0 left (absent, or marked again since)
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or ARGV[2] == '' or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
