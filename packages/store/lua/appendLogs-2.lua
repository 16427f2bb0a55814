--[[
  Appends a batch of node output lines to a workflow's log stream, while the workflow exists and
  within its byte budget. A node still printing after its workflow was deleted must not recreate the
  stream (an orphan nobody deletes). Each entry carries the running total of line bytes written (`c`),
  read back from the newest entry, so the budget needs no key of its own and goes when the stream
  goes. The line that would pass the budget is replaced by the notice, once (its `c` is then over the
  budget); later lines are dropped.

  KEYS[1] workflow record (hash)   KEYS[2] the workflow's log stream
  ARGV[1] byte budget   ARGV[2] lines kept (MAXLEN ~)   ARGV[3] notice
  ARGV[4..] node id, stream, line: one triple per line

  Returns: the number of lines written (0 when the workflow is gone)
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local budget = tonumber(ARGV[1])
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
local total = 0
if newest then
  local fields = newest[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'c' then total = tonumber(fields[i + 1]) end
  end
end
local written = 0
for i = 4, #ARGV, 3 do
  if total > budget then return written end
  local size = string.len(ARGV[i + 2])
  if total + size > budget then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'n', ARGV[i], 's', 'stderr', 'l', ARGV[3], 'c', budget + 1)
    return written
  end
  total = total + size
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'n', ARGV[i], 's', ARGV[i + 1], 'l', ARGV[i + 2], 'c', total)
  written = written + 1
end
return written
