--[[
  Creates resources of one kind all or none, as `argo template create` refuses a name that exists:
  if any field is taken, nothing is written.

  KEYS[1] the kind's hash (field: <namespace>/<name>, or <name> for cluster-scoped kinds)
  ARGV    pairs of field, resource JSON

  Returns: 0 all created
           i > 0: the i-th resource exists already; nothing written
]]
for i = 1, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then return (i + 1) / 2 end
end
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
return 0
