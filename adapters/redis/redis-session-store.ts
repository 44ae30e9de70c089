import type { Redis } from 'ioredis'
import { attachUser } from '../../src/storage/attach-user.js'
import type { FactorUse, SessionRecord, SessionStore } from '../../src/storage/ports.js'
import { callRedis } from './call-redis.js'
import { type FieldMap, flattenFields, readField, readOptionalField, parseFieldMap } from './field-map.js'
import type { RedisKeys } from './redis-keys.js'
import { createScriptRunner } from './redis-script.js'

// Layout: session:<tokenHash> hash, session-id:<id> -> tokenHash, user-sessions:<userId> sorted set
// of ids by createdAt. All three expire by Redis: the first two when the session ends, the set
// when its last session ends (NX then GT only ever moves its expiry later).

/** How many of a user's oldest index entries a create checks for sessions that have expired. */
const INDEX_CLEANUP_COUNT = 16

// KEYS: session, session-id, user-sessions. ARGV: ttlMs, id, tokenHash, createdAt, session-id prefix, fields...
const CREATE_LUA = `
local ttl = tonumber(ARGV[1])
for _, member in ipairs(redis.call('ZRANGE', KEYS[3], 0, ${INDEX_CLEANUP_COUNT - 1})) do
  if redis.call('EXISTS', ARGV[5] .. member) == 0 then redis.call('ZREM', KEYS[3], member) end
end
if ttl <= 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], ARGV[3], 'PX', ttl)
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ttl, 'NX')
redis.call('PEXPIRE', KEYS[3], ttl, 'GT')
return 1
`

// KEYS: session-id. ARGV: session prefix.
const GET_BY_ID_LUA = `
local tokenHash = redis.call('GET', KEYS[1])
if not tokenHash then return false end
return redis.call('HGETALL', ARGV[1] .. tokenHash)
`

// KEYS: session-id. ARGV: session prefix, user-sessions prefix, lastSeenAt, idleExpiresAt.
const TOUCH_LUA = `
local tokenHash = redis.call('GET', KEYS[1])
if not tokenHash then return 0 end
local key = ARGV[1] .. tokenHash
local fields = redis.call('HMGET', key, 'expiresAt', 'userId')
if not fields[1] then return 0 end
local ttl = math.min(tonumber(fields[1]), tonumber(ARGV[4])) - tonumber(ARGV[3])
redis.call('HSET', key, 'lastSeenAt', ARGV[3], 'idleExpiresAt', ARGV[4])
if ttl <= 0 then ttl = 1 end
redis.call('PEXPIRE', key, ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', ARGV[2] .. fields[2], ttl, 'GT')
return 1
`

// KEYS: user-sessions. ARGV: session prefix, session-id prefix. Drops index entries of expired sessions.
const LIST_BY_USER_LUA = `
local sessions = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local tokenHash = redis.call('GET', ARGV[2] .. id)
  local session = {}
  if tokenHash then session = redis.call('HGETALL', ARGV[1] .. tokenHash) end
  if #session == 0 then redis.call('ZREM', KEYS[1], id) else table.insert(sessions, session) end
end
return sessions
`

// KEYS: session-id. ARGV: session prefix, user-sessions prefix, id.
const DELETE_LUA = `
local tokenHash = redis.call('GET', KEYS[1])
if not tokenHash then return 0 end
local key = ARGV[1] .. tokenHash
local userId = redis.call('HGET', key, 'userId')
local removed = redis.call('DEL', key)
redis.call('DEL', KEYS[1])
if userId then redis.call('ZREM', ARGV[2] .. userId, ARGV[3]) end
return removed
`

// KEYS: user-sessions. ARGV: session prefix, session-id prefix, id to keep (or '').
const DELETE_BY_USER_LUA = `
local removed = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[3] then
    local tokenHash = redis.call('GET', ARGV[2] .. id)
    if tokenHash then
      removed = removed + redis.call('DEL', ARGV[1] .. tokenHash)
      redis.call('DEL', ARGV[2] .. id)
    end
    redis.call('ZREM', KEYS[1], id)
  end
end
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

export function createRedisSessionStore(client: Redis, keys: RedisKeys): SessionStore {
  const readByTokenHash = async (tokenHash: string): Promise<SessionRecord | null> =>
    readOptionalSession(await callRedis(() => client.hgetall(keys.sessionPrefix + tokenHash)))
  const runCreate = createScriptRunner(client, CREATE_LUA)
  const runGetById = createScriptRunner(client, GET_BY_ID_LUA)
  const runTouch = createScriptRunner(client, TOUCH_LUA)
  const runListByUser = createScriptRunner(client, LIST_BY_USER_LUA)
  const runDelete = createScriptRunner(client, DELETE_LUA)
  const runDeleteByUser = createScriptRunner(client, DELETE_BY_USER_LUA)

  return {
    async create(session) {
      // A TTL from the record's own times, not an absolute deadline: clock skew between app and
      // Redis hosts (or an injected test clock) then cannot cut a session short.
      const ttlMs = Math.min(session.expiresAt, session.idleExpiresAt) - session.createdAt
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
        [keys.sessionPrefix + session.tokenHash, keys.sessionIdPrefix + session.id, keys.userSessionsPrefix + session.userId],
        [Math.ceil(ttlMs), session.id, session.tokenHash, session.createdAt, keys.sessionIdPrefix, ...fields],
      )
    },

    getByTokenHash: readByTokenHash,

    // Users are never in Redis: one HGETALL, then the user store (no round trip when it is in memory).
    async getWithUser(tokenHash, users) {
      const session = await readByTokenHash(tokenHash)
      return session === null ? null : attachUser(session, users)
    },
    async getById(id) {
      return readOptionalSession(await runGetById([keys.sessionIdPrefix + id], [keys.sessionPrefix]))
    },

    async touch(id, lastSeenAt, idleExpiresAt) {
      await runTouch([keys.sessionIdPrefix + id], [keys.sessionPrefix, keys.userSessionsPrefix, lastSeenAt, idleExpiresAt])
    },

    async listByUser(userId) {
      const replies = await runListByUser([keys.userSessionsPrefix + userId], [keys.sessionPrefix, keys.sessionIdPrefix])
      return (replies as unknown[]).map((reply) => readSession(parseFieldMap(reply) ?? {}))
    },

    async delete(id) {
      const removed = await runDelete([keys.sessionIdPrefix + id], [keys.sessionPrefix, keys.userSessionsPrefix, id])
      return removed === 1
    },

    async deleteByUser(userId, exceptId) {
      const removed = await runDeleteByUser(
        [keys.userSessionsPrefix + userId],
        [keys.sessionPrefix, keys.sessionIdPrefix, exceptId ?? ''],
      )
      return Number(removed)
    },
  }
}
