import type { FactorUse, SessionRecord, SessionStore } from '../../src/storage/ports.js'
import { attachUser } from '../../src/storage/attach-user.js'
import { callRedis } from './call-redis.js'
import { type FieldMap, flattenFields, readField, readOptionalField, parseFieldMap } from './field-map.js'
import type { RedisClient } from './redis-client.js'
import type { RedisKeys } from './redis-keys.js'
import { createScriptRunner } from './redis-script.js'

// Layout: session:<tokenHash> hash, session-id:<id> -> tokenHash, user-sessions:<userId> sorted set
// of ids by createdAt. All three expire by Redis: the first two when the session ends, the set
// when its last session ends (NX then GT only ever moves its expiry later). Scripts get every key
// they touch in KEYS (Redis Cluster); what they need to name a key (a token hash, a user id) the
// client reads first, and the script checks it still holds.

/** How many of a user's oldest index entries a create checks for sessions that have expired. */
const INDEX_CLEANUP_COUNT = 16

// KEYS: session, session-id, user-sessions, session-id of each cleanup candidate.
// ARGV: ttlMs, id, tokenHash, createdAt, candidate count n, n candidate ids, fields...
const CREATE_LUA = `
local ttl = tonumber(ARGV[1])
local candidates = tonumber(ARGV[5])
for i = 1, candidates do
  if redis.call('EXISTS', KEYS[3 + i]) == 0 then redis.call('ZREM', KEYS[3], ARGV[5 + i]) end
end
if ttl <= 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 6 + candidates))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], ARGV[3], 'PX', ttl)
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ttl, 'NX')
redis.call('PEXPIRE', KEYS[3], ttl, 'GT')
return 1
`

// KEYS: session, session-id, user-sessions. ARGV: tokenHash, lastSeenAt, idleExpiresAt.
const TOUCH_LUA = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
local expiresAt = redis.call('HGET', KEYS[1], 'expiresAt')
if not expiresAt then return 0 end
local ttl = math.min(tonumber(expiresAt), tonumber(ARGV[3])) - tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2], 'idleExpiresAt', ARGV[3])
if ttl <= 0 then ttl = 1 end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl, 'GT')
return 1
`

// KEYS: session, session-id, user-sessions. ARGV: tokenHash, id.
const DELETE_LUA = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
local removed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return removed
`

// KEYS: user-sessions, n session-ids, n sessions. ARGV: n, n ids, n token hashes, ids to drop from the index only.
const DELETE_BY_USER_LUA = `
local n = tonumber(ARGV[1])
local removed = 0
for i = 1, n do
  if redis.call('GET', KEYS[1 + i]) == ARGV[1 + n + i] then
    removed = removed + redis.call('DEL', KEYS[1 + n + i])
    redis.call('DEL', KEYS[1 + i])
  end
  redis.call('ZREM', KEYS[1], ARGV[1 + i])
end
for i = 2 + 2 * n, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
return removed
`

function readSession(fields: FieldMap): SessionRecord {
  return {
    id: readField(fields, 'id'),
    tokenHash: readField(fields, 'tokenHash'),
    userId: readField(fields, 'userId'),
    createdAt: Number(readField(fields, 'createdAt')),
    lastSeenAt: Number(readField(fields, 'lastSeenAt')),
    expiresAt: Number(readField(fields, 'expiresAt')),
    idleExpiresAt: Number(readField(fields, 'idleExpiresAt')),
    ip: readOptionalField(fields, 'ip'),
    userAgent: readOptionalField(fields, 'userAgent'),
    pendingSecondFactor: readField(fields, 'pendingSecondFactor') === '1',
    factors: JSON.parse(readField(fields, 'factors')) as FactorUse[],
  }
}

function readOptionalSession(reply: unknown): SessionRecord | null {
  const fields = parseFieldMap(reply)
  return fields === null ? null : readSession(fields)
}

export function createRedisSessionStore(client: RedisClient, keys: RedisKeys): SessionStore {
  const runCreate = createScriptRunner(client, CREATE_LUA)
  const runTouch = createScriptRunner(client, TOUCH_LUA)
  const runDelete = createScriptRunner(client, DELETE_LUA)
  const runDeleteByUser = createScriptRunner(client, DELETE_BY_USER_LUA)

  const readByTokenHash = async (tokenHash: string): Promise<SessionRecord | null> =>
    readOptionalSession(await callRedis(() => client.hgetall(keys.session(tokenHash))))

  /** The token hash and user of the session with this id, or null when it is gone. */
  async function locate(id: string): Promise<{ tokenHash: string; userId: string | null } | null> {
    const tokenHash = await callRedis(() => client.get(keys.sessionId(id)))
    if (tokenHash === null) return null
    return { tokenHash, userId: await callRedis(() => client.hget(keys.session(tokenHash), 'userId')) }
  }

  return {
    async create(session) {
      // A TTL from the record's own times, not an absolute deadline: clock skew between app and
      // Redis hosts (or an injected test clock) then cannot cut a session short.
      const ttlMs = Math.min(session.expiresAt, session.idleExpiresAt) - session.createdAt
      const userSessionsKey = keys.userSessions(session.userId)
      const candidates = await callRedis(() => client.zrange(userSessionsKey, '0', String(INDEX_CLEANUP_COUNT - 1)))
      const fields = flattenFields([
        ['id', session.id],
        ['tokenHash', session.tokenHash],
        ['userId', session.userId],
        ['createdAt', session.createdAt],
        ['lastSeenAt', session.lastSeenAt],
        ['expiresAt', session.expiresAt],
        ['idleExpiresAt', session.idleExpiresAt],
        ['ip', session.ip],
        ['userAgent', session.userAgent],
        ['pendingSecondFactor', session.pendingSecondFactor ? '1' : '0'],
        ['factors', JSON.stringify(session.factors)],
      ])
      await runCreate(
        [keys.session(session.tokenHash), keys.sessionId(session.id), userSessionsKey, ...candidates.map(keys.sessionId)],
        [Math.ceil(ttlMs), session.id, session.tokenHash, session.createdAt, candidates.length, ...candidates, ...fields],
      )
    },

    getByTokenHash: readByTokenHash,

    // Users are never in Redis: one HGETALL, then the user store (no round trip when it is in memory).
    async getWithUser(tokenHash, users) {
      const session = await readByTokenHash(tokenHash)
      return session === null ? null : attachUser(session, users)
    },

    async getById(id) {
      const tokenHash = await callRedis(() => client.get(keys.sessionId(id)))
      return tokenHash === null ? null : readByTokenHash(tokenHash)
    },

    async touch(id, lastSeenAt, idleExpiresAt) {
      const found = await locate(id)
      if (found === null || found.userId === null) return
      await runTouch([keys.session(found.tokenHash), keys.sessionId(id), keys.userSessions(found.userId)], [found.tokenHash, lastSeenAt, idleExpiresAt])
    },

    async listByUser(userId) {
      const userSessionsKey = keys.userSessions(userId)
      const ids = await callRedis(() => client.zrange(userSessionsKey, '0', '-1'))
      if (ids.length === 0) return []
      const tokenHashes = await callRedis(() => client.mget(...ids.map(keys.sessionId)))
      const sessions = await Promise.all(tokenHashes.map((tokenHash) => (tokenHash === null ? null : readByTokenHash(tokenHash))))
      const stale = ids.filter((_, index) => sessions[index] === null)
      if (stale.length > 0) await callRedis(() => client.zrem(userSessionsKey, ...stale))
      return sessions.filter((session): session is SessionRecord => session !== null)
    },

    async delete(id) {
      const found = await locate(id)
      if (found === null) return false
      if (found.userId === null) {
        // The session hash expired before its id key: nothing left to remove but the id key.
        await callRedis(() => client.del(keys.sessionId(id)))
        return false
      }
      const removed = await runDelete([keys.session(found.tokenHash), keys.sessionId(id), keys.userSessions(found.userId)], [found.tokenHash, id])
      return removed === 1
    },

    async deleteByUser(userId, exceptId) {
      const userSessionsKey = keys.userSessions(userId)
      const ids = (await callRedis(() => client.zrange(userSessionsKey, '0', '-1'))).filter((id) => id !== exceptId)
      if (ids.length === 0) return 0
      const tokenHashes = await callRedis(() => client.mget(...ids.map(keys.sessionId)))
      const live = ids.flatMap((id, index) => {
        const tokenHash = tokenHashes[index]
        return tokenHash === null || tokenHash === undefined ? [] : [{ id, tokenHash }]
      })
      const gone = ids.filter((_, index) => tokenHashes[index] === null)
      const removed = await runDeleteByUser(
        [userSessionsKey, ...live.map((entry) => keys.sessionId(entry.id)), ...live.map((entry) => keys.session(entry.tokenHash))],
        [live.length, ...live.map((entry) => entry.id), ...live.map((entry) => entry.tokenHash), ...gone],
      )
      return Number(removed)
    },
  }
}
