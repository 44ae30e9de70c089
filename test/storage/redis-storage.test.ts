import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { redisStorage } from '../../adapters/redis/index.js'
import { isAuthError } from '../../src/errors/auth-error.js'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import { buildSession, buildVerification, createTestId } from '../../src/testing/conformance-records.js'
import { describeStorageConformance } from '../../src/testing/index.js'
import { TEST_HOST } from '../support/bounded-clients.js'
import { deleteKeysWithPrefix, scanKeys } from '../support/delete-redis-keys.js'
import { openRedisClient } from '../support/server-connection.js'

/** A loopback round trip takes tens of microseconds: a thousand outlast a 1 ms expiry many times over. */
const EXPIRY_POLLS = 1000

/** Has Redis expire `keys` by itself (PEXPIRE 1 ms) and resolves once they are gone, polling a bounded number of times. */
async function letRedisExpire(client: Redis, keys: string[]): Promise<void> {
  for (const key of keys) expect(await client.pexpire(key, 1)).toBe(1)
  for (let poll = 0; poll < EXPIRY_POLLS; poll++) {
    if ((await client.exists(...keys)) === 0) return
  }
  throw new Error(`Redis still has ${keys.join(', ')} after ${EXPIRY_POLLS} polls`)
}

const client = await openRedisClient()
if (client !== null) {
  const keyPrefix = `gatehouse-test:${randomBytes(6).toString('hex')}:`

  afterAll(async () => {
    await deleteKeysWithPrefix(client, keyPrefix)
    client.disconnect()
  })

  // The kit wants a whole Storage; only the Redis stores are selected, so the memory ones never run.
  describeStorageConformance('redis', () => ({ ...memoryStorage(), ...redisStorage(client, { keyPrefix }) }), {
    stores: ['sessions', 'limits', 'verifications'],
  })

  describe('redis adapter', () => {
    it('gives every key it writes an expiry', async () => {
      const prefix = `${keyPrefix}ttl:`
      const storage = redisStorage(client, { keyPrefix: prefix })
      const userId = createTestId()
      const now = Date.now()
      await storage.sessions.create(buildSession({ userId }))
      await storage.verifications.create(buildVerification({ userId }))
      await storage.verifications.create(buildVerification({ userId: null }))
      await storage.limits.hit(createTestId(), 60, now)
      await storage.limits.claim(createTestId(), now + 60_000, now)
      const keys = await scanKeys(client, prefix)
      expect(keys.length).toBe(12)
      for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(0)
    })

    it('lets the index sets outlive no session and follow touches', async () => {
      const prefix = `${keyPrefix}index:`
      const storage = redisStorage(client, { keyPrefix: prefix })
      const session = buildSession({ idleExpiresAt: Date.now() + 60_000 })
      await storage.sessions.create(session)
      const userKey = `${prefix}{${prefix}}user-sessions:${session.userId}`
      expect(await client.pttl(userKey)).toBeLessThanOrEqual(60_000)
      await storage.sessions.touch(session.id, session.lastSeenAt + 1000, session.lastSeenAt + 600_000)
      expect(await client.pttl(userKey)).toBeGreaterThan(500_000)
      expect(await client.pttl(`${prefix}{${prefix}}session:${session.tokenHash}`)).toBeGreaterThan(500_000)
      await storage.sessions.delete(session.id)
      expect(await scanKeys(client, prefix)).toEqual([])
    })

    it('drops index entries of sessions Redis has expired', async () => {
      const prefix = `${keyPrefix}stale:`
      const storage = redisStorage(client, { keyPrefix: prefix })
      const userId = createTestId()
      const start = Date.now()
      const shortLived = buildSession({ userId, createdAt: start })
      const kept = buildSession({ userId, createdAt: start + 1 })
      await storage.sessions.create(shortLived)
      await storage.sessions.create(kept)
      await letRedisExpire(client, [`${prefix}{${prefix}}session:${shortLived.tokenHash}`, `${prefix}{${prefix}}session-id:${shortLived.id}`])
      expect(await storage.sessions.listByUser(userId)).toEqual([kept])
      expect(await client.zrange(`${prefix}{${prefix}}user-sessions:${userId}`, '0', '-1')).toEqual([kept.id])
    })

    it('refuses a client that carries its own keyPrefix', () => {
      const prefixed = new Redis({ host: TEST_HOST, lazyConnect: true, keyPrefix: 'x:' })
      expect(() => redisStorage(prefixed)).toThrow(/keyPrefix/)
      prefixed.disconnect()
    })

    it('answers STORAGE_UNAVAILABLE quickly when the server cannot be reached', async () => {
      const dead = new Redis({
        host: TEST_HOST,
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 500,
        commandTimeout: 500,
      })
      dead.on('error', () => undefined)
      try {
        const storage = redisStorage(dead, { keyPrefix })
        const startedAt = performance.now()
        for (const attempt of [
          () => storage.sessions.getByTokenHash('x'),
          () => storage.limits.hit('x', 60, Date.now()),
          () => storage.verifications.consume('otp', 'x', Date.now()),
        ]) {
          const error: unknown = await attempt().catch((caught) => caught)
          expect(isAuthError(error) && error.code === 'STORAGE_UNAVAILABLE').toBe(true)
        }
        expect(performance.now() - startedAt).toBeLessThan(2000)
      } finally {
        dead.disconnect()
      }
    })
  })
}

