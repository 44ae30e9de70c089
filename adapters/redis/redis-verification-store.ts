import type { Redis } from 'ioredis'
import type { VerificationRecord, VerificationStore } from '../../src/storage/ports.js'
import { type FieldMap, flattenFields, readField, readOptionalField, parseFieldMap } from './field-map.js'
import type { RedisKeys } from './redis-keys.js'
import { createScriptRunner } from './redis-script.js'

// Layout: verification:<id> hash; verification-subject:<purpose>:<subject> -> id (one per pair,
// which is what superseding needs); verification-secret:<purpose>:<secretHash> set of ids (short
// codes may collide); user-verifications:<userId> set of ids. Each record stores the names of its
// index keys, so a script can remove it without rebuilding encoded names in Lua.

// Removes a record and its index entries; answers 1 when the record existed.
const REMOVE_RECORD_LUA = `
local function removeRecord(recordKey, id)
  local indexKeys = redis.call('HMGET', recordKey, 'subjectIndexKey', 'secretIndexKey', 'userIndexKey')
  if redis.call('DEL', recordKey) == 0 then return 0 end
  if indexKeys[1] and redis.call('GET', indexKeys[1]) == id then redis.call('DEL', indexKeys[1]) end
  if indexKeys[2] then redis.call('SREM', indexKeys[2], id) end
  if indexKeys[3] then redis.call('SREM', indexKeys[3], id) end
  return 1
end
`

// Adds an id to an index set whose expiry only ever moves later, and drops members whose record expired.
const ADD_TO_INDEX_LUA = `
local function addToIndex(indexKey, recordPrefix, id, ttl)
  for _, member in ipairs(redis.call('SMEMBERS', indexKey)) do
    if redis.call('EXISTS', recordPrefix .. member) == 0 then redis.call('SREM', indexKey, member) end
  end
  redis.call('SADD', indexKey, id)
  redis.call('PEXPIRE', indexKey, ttl, 'NX')
  redis.call('PEXPIRE', indexKey, ttl, 'GT')
end
`

// KEYS: record, subject, secret, [user]. ARGV: record prefix, id, ttlMs, fields...
const CREATE_LUA = `${REMOVE_RECORD_LUA}${ADD_TO_INDEX_LUA}
local previous = redis.call('GET', KEYS[2])
if previous then removeRecord(ARGV[1] .. previous, previous) end
local ttl = tonumber(ARGV[3])
if ttl <= 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
addToIndex(KEYS[3], ARGV[1], ARGV[2], ttl)
if KEYS[4] then addToIndex(KEYS[4], ARGV[1], ARGV[2], ttl) end
return 1
`

// KEYS: secret. ARGV: record prefix, now. Takes the oldest unexpired record with this secret.
const CONSUME_LUA = `${REMOVE_RECORD_LUA}
local chosenId, chosenCreatedAt
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local times = redis.call('HMGET', ARGV[1] .. id, 'expiresAt', 'createdAt')
  if not times[1] then
    redis.call('SREM', KEYS[1], id)
  elseif tonumber(times[1]) > tonumber(ARGV[2]) and (not chosenId or tonumber(times[2]) < chosenCreatedAt) then
    chosenId, chosenCreatedAt = id, tonumber(times[2])
  end
end
if not chosenId then return false end
local record = redis.call('HGETALL', ARGV[1] .. chosenId)
removeRecord(ARGV[1] .. chosenId, chosenId)
return record
`

// KEYS: subject. ARGV: record prefix.
const FIND_LUA = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('HGETALL', ARGV[1] .. id)
`

// KEYS: record. HINCRBY alone would create a hash for a record that is gone.
const ADD_ATTEMPT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'attempts', 1)
`

// KEYS: record. ARGV: id.
const DELETE_LUA = `${REMOVE_RECORD_LUA}
return removeRecord(KEYS[1], ARGV[1])
`

// KEYS: user. ARGV: record prefix.
const DELETE_BY_USER_LUA = `${REMOVE_RECORD_LUA}
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  removed = removed + removeRecord(ARGV[1] .. id, id)
end
redis.call('DEL', KEYS[1])
return removed
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

export function createRedisVerificationStore(client: Redis, keys: RedisKeys): VerificationStore {
  const runCreate = createScriptRunner(client, CREATE_LUA)
  const runConsume = createScriptRunner(client, CONSUME_LUA)
  const runFind = createScriptRunner(client, FIND_LUA)
  const runAddAttempt = createScriptRunner(client, ADD_ATTEMPT_LUA)
  const runDelete = createScriptRunner(client, DELETE_LUA)
  const runDeleteByUser = createScriptRunner(client, DELETE_BY_USER_LUA)

  return {
    async create(record) {
      const subjectIndexKey = keys.verificationSubject(record.purpose, record.subject)
      const secretIndexKey = keys.verificationSecret(record.purpose, record.secretHash)
      const userIndexKey = record.userId === null ? null : keys.userVerifications(record.userId)
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
        ['subjectIndexKey', subjectIndexKey],
        ['secretIndexKey', secretIndexKey],
        ['userIndexKey', userIndexKey],
      ])
      const indexKeys = userIndexKey === null ? [subjectIndexKey, secretIndexKey] : [subjectIndexKey, secretIndexKey, userIndexKey]
      await runCreate(
        [keys.verificationPrefix + record.id, ...indexKeys],
        [keys.verificationPrefix, record.id, Math.ceil(record.expiresAt - record.createdAt), ...fields],
      )
    },

    async consume(purpose, secretHash, now) {
      return readOptionalVerification(
        await runConsume([keys.verificationSecret(purpose, secretHash)], [keys.verificationPrefix, now]),
      )
    },

    async find(purpose, subject, now) {
      const record = readOptionalVerification(
        await runFind([keys.verificationSubject(purpose, subject)], [keys.verificationPrefix]),
      )
      return record !== null && now < record.expiresAt ? record : null
    },

    async addAttempt(id) {
      return Number(await runAddAttempt([keys.verificationPrefix + id], []))
    },

    async delete(id) {
      return (await runDelete([keys.verificationPrefix + id], [id])) === 1
    },

    async deleteByUser(userId) {
      return Number(await runDeleteByUser([keys.userVerifications(userId)], [keys.verificationPrefix]))
    },
  }
}
