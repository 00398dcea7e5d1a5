-- Applies one invalidation atomically: a change of ARGV[1] (entity) to ARGV[2] (version).
-- ARGV: entity, version, tombstoneTtlMs, nKeys, (key, keyVersion) * nKeys, nTags, (tag, tagVersion) * nTags
-- For each affected key (the listed ones, the keys the fills indexed under the entity, every key of each tag):
--   raise the key's tombstone for the entity to the version (a fill that read older data is refused while it lives),
--   delete the entry only if it was filled from an older version of the entity (absent version = older).
-- Also raises the entity's and each tag's tombstone, drops index members whose entry is gone, and publishes
-- "entity version removed" on ballast:invalidations. Returns the number of entries removed.
local entity = ARGV[1]
local version = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local field = '@' .. entity
local removed = 0
local seen = {}

-- versions travel as strings: a Lua number passed back to Redis loses digits past 14
local function raise_hash(name, vs)
  local old = tonumber(redis.call('HGET', name, entity) or '0')
  if old < tonumber(vs) then redis.call('HSET', name, entity, vs) end
  redis.call('PEXPIRE', name, ttl)
end

-- true when the key's entry is gone afterwards (so it may leave the index)
local function fence(key, vs)
  local v = tonumber(vs)
  raise_hash('ballast:tomb:' .. key, vs)
  if redis.call('EXISTS', key) == 0 then return true end
  local have = tonumber(redis.call('HGET', key, field) or '0')
  if have < v then
    redis.call('DEL', key)
    removed = removed + 1
    return true
  end
  return false
end

local function fence_members(set, vs)
  for _, key in ipairs(redis.call('SMEMBERS', set)) do
    if not seen[key] then
      seen[key] = true
      if fence(key, vs) then redis.call('SREM', set, key) end
    end
  end
end

local etomb = 'ballast:etomb:' .. entity
local old = redis.call('GET', etomb)
if old and tonumber(old) > version then
  redis.call('PEXPIRE', etomb, ttl)
else
  redis.call('SET', etomb, ARGV[2], 'PX', ttl)
end

local i = 4
local n = tonumber(ARGV[i])
for j = 0, n - 1 do
  local key = ARGV[i + 1 + 2 * j]
  if not seen[key] then
    seen[key] = true
    fence(key, ARGV[i + 2 + 2 * j])
  end
end
i = i + 1 + 2 * n
fence_members('ballast:dep:' .. entity, ARGV[2])
local m = tonumber(ARGV[i])
for j = 0, m - 1 do
  local tag = ARGV[i + 1 + 2 * j]
  local vs = ARGV[i + 2 + 2 * j]
  raise_hash('ballast:ttomb:' .. tag, vs)
  fence_members('ballast:tag:' .. tag, vs)
end
redis.call('PUBLISH', 'ballast:invalidations', entity .. ' ' .. ARGV[2] .. ' ' .. removed)
return removed
