--[[
  Semaphores and mutexes (a mutex is a semaphore of 1), taken all-or-nothing per holder (a node or a
  workflow), granted to waiters in order (priority, then creation) when a holder releases, and always
  owned by the holder, never by a process. Every key shares the hash tag of KEYS[1].

  KEYS[1] requests (hash: waiting holder -> JSON {locks, meta})
  KEYS[2] known locks (set)
  ARGV[1] key base for per-lock keys: <base>:holders:<lock> (hash holder -> meta),
          <base>:waiters:<lock> (sorted set by score), <base>:limits (hash lock -> limit)
  ARGV[2] mode: acquire | release | wake
  acquire: ARGV[3] holder, ARGV[4] meta JSON, ARGV[5] score, then pairs of lock name and limit
  release: ARGV[3] holder, then pairs of lock name and limit
  wake:    pairs of lock name and limit from ARGV[3]

  Returns: { acquired (1/0, acquire only; else 0), meta of every waiter granted on the way... }
]]
local base = ARGV[1]
local mode = ARGV[2]
local requests = KEYS[1]

local function holdersKey(lock) return base .. ':holders:' .. lock end
local function waitersKey(lock) return base .. ':waiters:' .. lock end
local limitsKey = base .. ':limits'

local function limitOf(lock) return tonumber(redis.call('HGET', limitsKey, lock) or '1') end
local function isFree(lock) return redis.call('HLEN', holdersKey(lock)) < limitOf(lock) end

local function allFree(locks)
  for _, lock in ipairs(locks) do
    if not isFree(lock) then return false end
  end
  return true
end

local function take(holder, locks, meta)
  for _, lock in ipairs(locks) do
    redis.call('HSET', holdersKey(lock), holder, meta)
    redis.call('ZREM', waitersKey(lock), holder)
  end
  redis.call('HDEL', requests, holder)
end

-- Grants waiters of one lock in order while it has room; a waiter blocked by another of its locks
-- is passed over, so it cannot hold up those behind it.
local function wake(lock, granted)
  for _, waiter in ipairs(redis.call('ZRANGE', waitersKey(lock), 0, -1)) do
    if not isFree(lock) then return end
    local json = redis.call('HGET', requests, waiter)
    if not json then
      redis.call('ZREM', waitersKey(lock), waiter)
    else
      local request = cjson.decode(json)
      if allFree(request.locks) then
        take(waiter, request.locks, request.meta)
        granted[#granted + 1] = request.meta
      end
    end
  end
end

local function readLocks(from)
  local locks = {}
  for i = from, #ARGV, 2 do
    locks[#locks + 1] = ARGV[i]
    redis.call('HSET', limitsKey, ARGV[i], ARGV[i + 1])
    redis.call('SADD', KEYS[2], ARGV[i])
  end
  return locks
end

-- A lock nobody holds or waits for leaves no key behind.
local function forgetIfIdle(lock)
  if redis.call('HLEN', holdersKey(lock)) == 0 and redis.call('ZCARD', waitersKey(lock)) == 0 then
    redis.call('SREM', KEYS[2], lock)
    redis.call('HDEL', limitsKey, lock)
  end
end

local granted = {}
local acquired = 0
if mode == 'acquire' then
  local holder, meta, score = ARGV[3], ARGV[4], ARGV[5]
  local locks = readLocks(6)
  for _, lock in ipairs(locks) do wake(lock, granted) end
  local holds = true
  for _, lock in ipairs(locks) do
    if redis.call('HEXISTS', holdersKey(lock), holder) == 0 then holds = false end
  end
  if holds then
    acquired = 1
  elseif allFree(locks) then
    take(holder, locks, meta)
    acquired = 1
  else
    redis.call('HSET', requests, holder, cjson.encode({ locks = locks, meta = meta }))
    for _, lock in ipairs(locks) do redis.call('ZADD', waitersKey(lock), 'NX', score, holder) end
  end
elseif mode == 'release' then
  local holder = ARGV[3]
  local locks = readLocks(4)
  redis.call('HDEL', requests, holder)
  for _, lock in ipairs(locks) do
    redis.call('HDEL', holdersKey(lock), holder)
    redis.call('ZREM', waitersKey(lock), holder)
  end
  for _, lock in ipairs(locks) do
    wake(lock, granted)
    forgetIfIdle(lock)
  end
else
  for _, lock in ipairs(readLocks(3)) do
    wake(lock, granted)
    forgetIfIdle(lock)
  end
end

local reply = { acquired }
for _, meta in ipairs(granted) do reply[#reply + 1] = meta end
return reply
