--[[
  Forgets lock grants once their holders were told. Only a grant still stamped with the time the
  caller got it is forgotten: one re-stamped since (a sweep is telling it too) or granted anew (the
  holder released and was granted again) still needs its own telling.

  KEYS[1] untold grants (sorted set: holder meta -> when granted or last taken, ms on Redis's clock)
  ARGV[1] the stamp the caller got   ARGV[2..] metas of the holders told

  Returns: how many grants were forgotten
]]
local forgotten = 0
for i = 2, #ARGV do
  local stamp = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if stamp and tonumber(stamp) == tonumber(ARGV[1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    forgotten = forgotten + 1
  end
end
return forgotten
