--[[
  Stores one engine transition of a workflow atomically: changed nodes, workflow status, and the
  commands it produced (the outbox), fenced by the shard lease epoch and the record's version.

  KEYS[1] workflow record (hash)   KEYS[2] nodes (hash)   KEYS[3] outbox (list)
  ARGV[1] lease epoch   ARGV[2] expected version   ARGV[3] status JSON or ''   ARGV[4] number of nodes
  ARGV[5] update channel ('' for none)   ARGV[6] resource JSON (metadata and spec) or ''
  ARGV[7] number of nodes to delete, then their ids
  then ARGV[4] pairs of node id, node JSON, then the outbox commands (JSON strings)

  Publishes on the update channel the new version, then the ids of the nodes written and, each
  with a leading '-', of those deleted, separated by spaces (see parseUpdateNotice): followers read
  only those nodes.

  Returns: the new version (>= 1)
           -1 fenced: a newer lease epoch has written this workflow
           -2 stale: the version moved on (another writer)
           -3 missing: the workflow record does not exist
]]
local record = KEYS[1]
if redis.call('EXISTS', record) == 0 then return -3 end
local epoch = tonumber(ARGV[1])
local stored = redis.call('HMGET', record, 'epoch', 'version')
if tonumber(stored[1] or '0') > epoch then return -1 end
if tonumber(stored[2] or '0') ~= tonumber(ARGV[2]) then return -2 end

local version = tonumber(ARGV[2]) + 1
redis.call('HSET', record, 'epoch', epoch, 'version', version)
if ARGV[3] ~= '' then redis.call('HSET', record, 'status', ARGV[3]) end
if ARGV[6] ~= '' then redis.call('HSET', record, 'resource', ARGV[6]) end

local deleteCount = tonumber(ARGV[7])
local i = 8
for n = 0, deleteCount - 1 do redis.call('HDEL', KEYS[2], ARGV[i + n]) end
i = i + deleteCount
-- Straight from ARGV, in chunks: a call takes at most a few thousand arguments comfortably.
local nodesEnd = i + tonumber(ARGV[4]) * 2 - 1
for start = i, nodesEnd, 1000 do
  redis.call('HSET', KEYS[2], unpack(ARGV, start, math.min(start + 999, nodesEnd)))
end
for start = nodesEnd + 1, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, start, math.min(start + 999, #ARGV)))
end
if ARGV[5] ~= '' then
  local notice = { tostring(version) }
  for n = 0, deleteCount - 1 do notice[#notice + 1] = '-' .. ARGV[8 + n] end
  for k = i, nodesEnd, 2 do notice[#notice + 1] = ARGV[k] end
  redis.call('PUBLISH', ARGV[5], table.concat(notice, ' '))
end
return version
