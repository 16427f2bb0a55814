--[[
  Appends node output lines to a workflow's log stream, only while the workflow exists: a node still
  printing after its workflow was deleted must not recreate the stream (an orphan nobody deletes).

  KEYS[1] workflow record (hash)   KEYS[2] the workflow's log stream
  ARGV[1] the stream's approximate cap (lines)
  then triples of node id, stdout|stderr, line

  Returns: the number of lines appended (0 when the workflow is gone)
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 2, #ARGV, 3 do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'n', ARGV[i], 's', ARGV[i + 1], 'l', ARGV[i + 2])
end
return (#ARGV - 1) / 3
