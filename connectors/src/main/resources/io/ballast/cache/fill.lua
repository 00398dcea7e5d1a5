-- Fills KEYS[1] with a value read from the source, atomically, unless that would store stale data.
-- ARGV: value, entryTtlMs, nVersions, (entity, version) * nVersions, nTags, tag * nTags
-- The versions are what the fill read (as the loader reported them, raised to the tombstones seen before the read).
-- Refused when a tombstone of the key, of one of its entities or of one of its tags names a newer version than
-- the fill read, or when the entry already holds newer data. Stored as a hash: field v = the value, field
-- @entity = the version read; indexed (no TTL: never evicted under a volatile-* policy) under each entity and tag.
-- Returns {1, 'stored'} or {0, reason}.
local key = KEYS[1]
local value = ARGV[1]
local ttl = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local read = {}
local raw = {} -- versions as given: a Lua number passed back to Redis loses digits past 14
local entities = {}
for j = 0, n - 1 do
  local e = ARGV[4 + 2 * j]
  read[e] = tonumber(ARGV[5 + 2 * j])
  raw[e] = ARGV[5 + 2 * j]
  entities[#entities + 1] = e
end
local i = 4 + 2 * n
local m = tonumber(ARGV[i])
local tags = {}
for j = 1, m do tags[#tags + 1] = ARGV[i + j] end

local function newer_in(pairs_list, what)
  for j = 1, #pairs_list, 2 do
    local e = pairs_list[j]
    local v = tonumber(pairs_list[j + 1])
    if v > (read[e] or 0) then
      return what .. ' names ' .. e .. ' at version ' .. v .. ', the fill read ' .. (read[e] or 'none')
    end
  end
  return nil
end

local why = newer_in(redis.call('HGETALL', 'ballast:tomb:' .. key), 'the tombstone of ' .. key)
if why then return {0, why} end
for _, e in ipairs(entities) do
  local v = redis.call('GET', 'ballast:etomb:' .. e)
  if v then
    why = newer_in({e, v}, 'the tombstone of entity ' .. e)
    if why then return {0, why} end
  end
end
for _, tag in ipairs(tags) do
  why = newer_in(redis.call('HGETALL', 'ballast:ttomb:' .. tag), 'the tombstone of tag ' .. tag)
  if why then return {0, why} end
end
if redis.call('EXISTS', key) == 1 then
  local have = redis.call('HGETALL', key)
  for j = 1, #have, 2 do
    if string.sub(have[j], 1, 1) == '@' and tonumber(have[j + 1]) > (read[string.sub(have[j], 2)] or 0) then
      return {0, 'the entry holds ' .. string.sub(have[j], 2) .. ' at version ' .. have[j + 1] .. ', newer than the fill read'}
    end
  end
end
redis.call('DEL', key)
local fields = {'v', value}
for _, e in ipairs(entities) do
  fields[#fields + 1] = '@' .. e
  fields[#fields + 1] = raw[e]
end
redis.call('HSET', key, unpack(fields))
redis.call('PEXPIRE', key, ttl)
for _, e in ipairs(entities) do redis.call('SADD', 'ballast:dep:' .. e, key) end
for _, tag in ipairs(tags) do redis.call('SADD', 'ballast:tag:' .. tag, key) end
return {1, 'stored'}
