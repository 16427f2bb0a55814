--[[
  Removes a name from its namespace's index only if it still names this uid (compare-and-delete):
  deleting an old workflow, by hand or by its TTL, must not remove a newer one's name.

  KEYS[1] the namespace's name index (hash: name -> uid)
  ARGV[1] the name   ARGV[2] the uid

  Returns: 1 removed; 0 the name was free or named another uid
]]
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])
