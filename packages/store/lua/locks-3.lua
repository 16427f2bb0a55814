--[[
  Semaphores and mutexes (a mutex is a semaphore of 1), taken all-or-nothing per holder (a node or a
  workflow), granted to waiters in order (priority, then creation) when a holder releases, and always
  owned by the holder, never by a process. Every key shares the hash tag of KEYS[1].

  Every holder this script tells the caller to notify is also recorded as an untold grant, in the same
  step: the caller appends the holder's event to another slot (its shard), which a crash or a failed
  write can miss, and a sweep re-tells what is still recorded (see claimUntold, forgetTold).

  KEYS[1] requests (hash: waiting holder -> JSON {locks, meta})
  KEYS[2] known locks (set)
  KEYS[3] untold grants (sorted set: holder meta -> when granted, ms on Redis's clock)
  ARGV[1] key base for per-lock keys: <base>:holders:<lock> (hash holder -> meta),
          <base>:waiters:<lock> (sorted set by score), <base>:limits (hash lock -> limit)
  ARGV[2] mode: acquire | release | wake
  acquire: ARGV[3] holder, ARGV[4] meta JSON, ARGV[5] score, then pairs of lock name and limit
  release: ARGV[3] holder, then pairs of lock name and limit
  wake:    pairs of lock name and limit from ARGV[3]
  A negative limit keeps the one last recorded (the caller could not read it).

  Returns: { acquired (1/0, acquire only; else 0), when granted (ms),
             meta of every holder to tell: each waiter granted on the way, and the acquirer when
             it holds its locks }
]]
local base = ARGV[1]
local mode = ARGV[2]
local requests = KEYS[1]
local untold = KEYS[3]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

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

local granted = {}

local function tell(meta)
  redis.call('ZADD', untold, now, meta)
  granted[#granted + 1] = meta
end

local function take(holder, locks, meta)
  for _, lock in ipairs(locks) do
    redis.call('HSET', holdersKey(lock), holder, meta)
    redis.call('ZREM', waitersKey(lock), holder)
  end
  redis.call('HDEL', requests, holder)
end

-- A request written by hand or by another version must not fail every later wake of its locks.
local function readRequest(json)
  local ok, request = pcall(cjson.decode, json)
  if not ok or type(request) ~= 'table' or type(request.locks) ~= 'table' or type(request.meta) ~= 'string' then return nil end
  for _, lock in ipairs(request.locks) do
    if type(lock) ~= 'string' then return nil end
  end
  return request
end

-- Grants waiters of one lock in order while it has room; a waiter blocked by another of its locks
-- is passed over, so it cannot hold up those behind it. A waiter without a readable request leaves.
local function wake(lock)
  for _, waiter in ipairs(redis.call('ZRANGE', waitersKey(lock), 0, -1)) do
    if not isFree(lock) then return end
    local request = readRequest(redis.call('HGET', requests, waiter) or 'null')
    if not request then
      redis.call('HDEL', requests, waiter)
      redis.call('ZREM', waitersKey(lock), waiter)
    elseif allFree(request.locks) then
      take(waiter, request.locks, request.meta)
      tell(request.meta)
    end
  end
end

local function readLocks(from)
  local locks = {}
  for i = from, #ARGV, 2 do
    locks[#locks + 1] = ARGV[i]
    if tonumber(ARGV[i + 1]) >= 0 then redis.call('HSET', limitsKey, ARGV[i], ARGV[i + 1]) end
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

local acquired = 0
if mode == 'acquire' then
  local holder, meta, score = ARGV[3], ARGV[4], ARGV[5]
  local locks = readLocks(6)
  for _, lock in ipairs(locks) do wake(lock) end
  local holds = true
  for _, lock in ipairs(locks) do
    if redis.call('HEXISTS', holdersKey(lock), holder) == 0 then holds = false end
  end
  if not holds and allFree(locks) then
    take(holder, locks, meta)
    holds = true
  end
  if holds then
    acquired = 1
    tell(meta)
  else
    redis.call('HSET', requests, holder, cjson.encode({ locks = locks, meta = meta }))
    for _, lock in ipairs(locks) do redis.call('ZADD', waitersKey(lock), 'NX', score, holder) end
  end
elseif mode == 'release' then
  local holder = ARGV[3]
  local locks = readLocks(4)
  redis.call('HDEL', requests, holder)
  for _, lock in ipairs(locks) do
    -- A holder that gives its locks back needs no telling any more.
    local meta = redis.call('HGET', holdersKey(lock), holder)
    if meta then redis.call('ZREM', untold, meta) end
    redis.call('HDEL', holdersKey(lock), holder)
    redis.call('ZREM', waitersKey(lock), holder)
  end
  for _, lock in ipairs(locks) do
    wake(lock)
    forgetIfIdle(lock)
  end
else
  for _, lock in ipairs(readLocks(3)) do
    wake(lock)
    forgetIfIdle(lock)
  end
end

local reply = { acquired, now }
for _, meta in ipairs(granted) do reply[#reply + 1] = meta end
return reply
