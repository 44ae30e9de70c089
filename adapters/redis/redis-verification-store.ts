import type { VerificationRecord, VerificationStore } from '../../src/storage/ports.js'
import { callRedis } from './call-redis.js'
import { type FieldMap, flattenFields, readField, readOptionalField, parseFieldMap } from './field-map.js'
import type { RedisClient } from './redis-client.js'
import type { RedisKeys } from './redis-keys.js'
import { createScriptRunner } from './redis-script.js'

// Layout: verification:<id> hash; verification-subject:<purpose>:<subject> -> id (one per pair,
// which is what superseding needs); verification-secret:<purpose>:<secretHash> set of ids (short
// codes may collide); user-verifications:<userId> set of ids. Scripts get every key they touch in
// KEYS (Redis Cluster): the client reads a record's purpose, subject, secret hash and user first
// to name its index keys, and the script removes it only if it still exists (DEL answers 1 once).

/** Concurrent creates for one subject each retry while another supersedes under them; this many times at most. */
const CREATE_ATTEMPTS = 5

// Removes a record and its index entries; answers 1 when the record existed. The user index is KEYS[4] when given.
const REMOVE_RECORD_LUA = `
local function removeRecord(id)
  if redis.call('DEL', KEYS[1]) == 0 then return 0 end
  if redis.call('GET', KEYS[2]) == id then redis.call('DEL', KEYS[2]) end
  redis.call('SREM', KEYS[3], id)
  if KEYS[4] then redis.call('SREM', KEYS[4], id) end
  return 1
end
`

// An index set whose expiry only ever moves later.
const ADD_TO_INDEX_LUA = `
local function addToIndex(indexKey, id, ttl)
  redis.call('SADD', indexKey, id)
  redis.call('PEXPIRE', indexKey, ttl, 'NX')
  redis.call('PEXPIRE', indexKey, ttl, 'GT')
end
`

// KEYS: record, subject, secret, [user]. ARGV: id, ttlMs, fields... Answers -1 while a record still holds the subject.
const CREATE_LUA = `${ADD_TO_INDEX_LUA}
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local ttl = tonumber(ARGV[2])
if ttl <= 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
addToIndex(KEYS[3], ARGV[1], ttl)
if KEYS[4] then addToIndex(KEYS[4], ARGV[1], ttl) end
return 1
`

// KEYS: record, subject, secret, [user]. ARGV: id. The record, removed, or false when another caller took it first.
const TAKE_LUA = `${REMOVE_RECORD_LUA}
local record = redis.call('HGETALL', KEYS[1])
if #record == 0 then return false end
removeRecord(ARGV[1])
return record
`

// KEYS: record. HINCRBY alone would create a hash for a record that is gone.
const ADD_ATTEMPT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'attempts', 1)
`

// KEYS: record, subject, secret, [user]. ARGV: id.
const DELETE_LUA = `${REMOVE_RECORD_LUA}
return removeRecord(ARGV[1])
`

function readVerification(fields: FieldMap): VerificationRecord {
  const data = readOptionalField(fields, 'data')
  return {
    id: readField(fields, 'id'),
    purpose: readField(fields, 'purpose'),
    subject: readField(fields, 'subject'),
    userId: readOptionalField(fields, 'userId'),
    secretHash: readField(fields, 'secretHash'),
    data: data === null ? null : (JSON.parse(data) as Record<string, string>),
    attempts: Number(readField(fields, 'attempts')),
    createdAt: Number(readField(fields, 'createdAt')),
    expiresAt: Number(readField(fields, 'expiresAt')),
  }
}

function readOptionalVerification(reply: unknown): VerificationRecord | null {
  const fields = parseFieldMap(reply)
  return fields === null ? null : readVerification(fields)
}

/** What names a record's keys. */
interface RecordNames {
  id: string
  purpose: string
  subject: string
  secretHash: string
  userId: string | null
}

export function createRedisVerificationStore(client: RedisClient, keys: RedisKeys): VerificationStore {
  const runCreate = createScriptRunner(client, CREATE_LUA)
  const runTake = createScriptRunner(client, TAKE_LUA)
  const runAddAttempt = createScriptRunner(client, ADD_ATTEMPT_LUA)
  const runDelete = createScriptRunner(client, DELETE_LUA)

  /** The record key and its index keys, in the order the scripts take them. */
  function recordKeys(names: RecordNames): string[] {
    const indexKeys = [keys.verificationSubject(names.purpose, names.subject), keys.verificationSecret(names.purpose, names.secretHash)]
    return [keys.verification(names.id), ...indexKeys, ...(names.userId === null ? [] : [keys.userVerifications(names.userId)])]
  }

  /** The names of the record with this id, or null when it is gone. */
  async function readNames(id: string): Promise<RecordNames | null> {
    const [purpose, subject, secretHash, userId] = await callRedis(() => client.hmget(keys.verification(id), 'purpose', 'subject', 'secretHash', 'userId'))
    if (purpose == null || subject == null || secretHash == null) return null
    return { id, purpose, subject, secretHash, userId: userId ?? null }
  }

  async function deleteRecord(id: string): Promise<boolean> {
    const names = await readNames(id)
    return names !== null && (await runDelete(recordKeys(names), [id])) === 1
  }

  return {
    async create(record) {
      const fields = flattenFields([
        ['id', record.id],
        ['purpose', record.purpose],
        ['subject', record.subject],
        ['userId', record.userId],
        ['secretHash', record.secretHash],
        ['data', record.data === null ? null : JSON.stringify(record.data)],
        ['attempts', record.attempts],
        ['createdAt', record.createdAt],
        ['expiresAt', record.expiresAt],
      ])
      const subjectKey = keys.verificationSubject(record.purpose, record.subject)
      for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
        const previous = await callRedis(() => client.get(subjectKey))
        // The superseded record goes first; a subject key left by an expired record goes with it.
        if (previous !== null && !(await deleteRecord(previous))) await callRedis(() => client.del(subjectKey))
        const created = await runCreate(recordKeys(record), [record.id, Math.ceil(record.expiresAt - record.createdAt), ...fields])
        if (created !== -1) return
      }
      throw new Error(`gatehouse/redis: could not supersede the ${record.purpose} record of one subject in ${CREATE_ATTEMPTS} attempts`)
    },

    async consume(purpose, secretHash, now) {
      const secretKey = keys.verificationSecret(purpose, secretHash)
      const ids = await callRedis(() => client.smembers(secretKey))
      const candidates: { names: RecordNames; createdAt: number }[] = []
      const stale: string[] = []
      await Promise.all(
        ids.map(async (id) => {
          const [subject, userId, expiresAt, createdAt] = await callRedis(() => client.hmget(keys.verification(id), 'subject', 'userId', 'expiresAt', 'createdAt'))
          if (subject == null || expiresAt == null) stale.push(id)
          else if (Number(expiresAt) > now) candidates.push({ names: { id, purpose, subject, secretHash, userId: userId ?? null }, createdAt: Number(createdAt) })
        }),
      )
      if (stale.length > 0) await callRedis(() => client.srem(secretKey, ...stale))
      // The oldest first; one another caller took meanwhile is skipped for the next.
      candidates.sort((a, b) => a.createdAt - b.createdAt)
      for (const { names } of candidates) {
        const record = readOptionalVerification(await runTake(recordKeys(names), [names.id]))
        if (record !== null) return record
      }
      return null
    },

    async find(purpose, subject, now) {
      const id = await callRedis(() => client.get(keys.verificationSubject(purpose, subject)))
      if (id === null) return null
      const record = readOptionalVerification(await callRedis(() => client.hgetall(keys.verification(id))))
      return record !== null && now < record.expiresAt ? record : null
    },

    async addAttempt(id) {
      return Number(await runAddAttempt([keys.verification(id)], []))
    },

    delete: deleteRecord,

    async deleteByUser(userId) {
      const userKey = keys.userVerifications(userId)
      const ids = await callRedis(() => client.smembers(userKey))
      let removed = 0
      for (const id of ids) if (await deleteRecord(id)) removed++
      await callRedis(() => client.del(userKey))
      return removed
    },
  }
}
