-- Reads KEYS[1]. A hit returns {1, value}. A miss returns {0, entity, version, ...}: the highest version each
-- tombstone the coming fill will be checked against names now (the key's, its entities' ARGV[2..n+1], its tags'
-- after that). An invalidation applied before the read started means the read sees at least that version.
-- ARGV: nEntities, entity * nEntities, nTags, tag * nTags
local key = KEYS[1]
local value = redis.call('HGET', key, 'v')
if value then return {1, value} end
local seen = {}
local raw = {}
local function take(e, vs)
  local v = tonumber(vs)
  if (seen[e] or 0) < v then
    seen[e] = v
    raw[e] = vs
  end
end
local t = redis.call('HGETALL', 'ballast:tomb:' .. key)
for j = 1, #t, 2 do take(t[j], t[j + 1]) end
local n = tonumber(ARGV[1])
for j = 1, n do
  local v = redis.call('GET', 'ballast:etomb:' .. ARGV[1 + j])
  if v then take(ARGV[1 + j], v) end
end
local m = tonumber(ARGV[2 + n])
for j = 1, m do
  local tt = redis.call('HGETALL', 'ballast:ttomb:' .. ARGV[2 + n + j])
  for k = 1, #tt, 2 do take(tt[k], tt[k + 1]) end
end
local out = {0}
for e, _ in pairs(seen) do
  out[#out + 1] = e
  out[#out + 1] = raw[e]
end
return out
