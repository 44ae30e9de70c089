import type { RedisClient } from './redis-client.js'
import type { LimitStore } from '../../src/storage/ports.js'
import { callRedis } from './call-redis.js'
import type { RedisKeys } from './redis-keys.js'
import { createScriptRunner } from './redis-script.js'

// Rollover is decided against the caller's `now`, so the injected clock governs the window;
// the TTL (the window's length) only lets Redis drop the key once the window is over.

// KEYS: limit. ARGV: now, windowMs, resetAt of a fresh window.
const HIT_LUA = `
local resetAt = redis.call('HGET', KEYS[1], 'resetAt')
if resetAt and tonumber(ARGV[1]) < tonumber(resetAt) then
  return {redis.call('HINCRBY', KEYS[1], 'count', 1), resetAt}
end
redis.call('HSET', KEYS[1], 'count', 1, 'resetAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, ARGV[3]}
`

// KEYS: limit. HINCRBY keeps the key's TTL, so the window still ends when it would have.
const RELEASE_LUA = `
local count = redis.call('HGET', KEYS[1], 'count')
if count and tonumber(count) > 0 then redis.call('HINCRBY', KEYS[1], 'count', -1) end
return 0
`

// KEYS: claim. ARGV: now, expiresAt, ttlMs.
const CLAIM_LUA = `
local claimedUntil = redis.call('GET', KEYS[1])
if claimedUntil and tonumber(claimedUntil) > tonumber(ARGV[1]) then return 0 end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1
`

export function createRedisLimitStore(client: RedisClient, keys: RedisKeys): LimitStore {
  const runHit = createScriptRunner(client, HIT_LUA)
  const runRelease = createScriptRunner(client, RELEASE_LUA)
  const runClaim = createScriptRunner(client, CLAIM_LUA)

  return {
    async hit(key, windowSeconds, now) {
      const windowMs = windowSeconds * 1000
      const reply = (await runHit([keys.limitWindow(key)], [now, Math.max(1, Math.ceil(windowMs)), now + windowMs])) as [
        number,
        string,
      ]
      return { count: Number(reply[0]), resetAt: Number(reply[1]) }
    },

    async reset(key) {
      await callRedis(() => client.del(keys.limitWindow(key)))
    },

    async release(key) {
      await runRelease([keys.limitWindow(key)], [])
    },

    async claim(key, expiresAt, now) {
      const claimed = await runClaim([keys.limitClaim(key)], [now, expiresAt, Math.ceil(expiresAt - now)])
      return claimed === 1
    },
  }
}
