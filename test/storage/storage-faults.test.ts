import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Redis } from 'ioredis'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { postgresStorage } from '../../adapters/postgres/index.js'
import { redisStorage } from '../../adapters/redis/index.js'
import { memoryStorage, type Storage } from '../../src/index.js'
import { createBoundedPool, createBoundedRedis, TEST_HOST, waitUntilRedisReady } from '../support/bounded-clients.js'
import { createTestApp, sessionCookieOf } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { connectOrReport } from '../support/server-connection.js'
import { startThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis.js'

/** The bound the recommended client options promise, with room for a slow machine. */
const BOUNDED_FAILURE_MS = 2000
/** A well-formed session token that no store knows: the guard must ask the store about it. */
const unknownToken = `ghs_${'A'.repeat(43)}`
const password = 'correct horse battery staple'

/** Sends `attempts` guarded requests; each must answer 503 STORAGE_UNAVAILABLE within the bound. */
async function expectGuardFailsClosed(storage: Partial<Storage>, attempts = 3): Promise<void> {
  const { handler } = createTestApp('express', { storage: { ...memoryStorage(), ...storage } })
  for (let attempt = 0; attempt < attempts; attempt++) {
    const startedAt = performance.now()
    const response = await request(handler).get('/api/projects').set('Authorization', `Bearer ${unknownToken}`)
    const elapsedMs = performance.now() - startedAt
    expect(response.status).toBe(503)
    expect(response.body.error.code).toBe('STORAGE_UNAVAILABLE')
    expect(elapsedMs).toBeLessThan(BOUNDED_FAILURE_MS)
  }
}

/** A TCP server that accepts connections and never answers: a hung backend. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, TEST_HOST, resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('a guarded route when storage is down', () => {
  it('answers 503 at once when Redis is on a closed port', async () => {
    const redis = createBoundedRedis(await findFreePort())
    try {
      const { sessions, limits } = redisStorage(redis)
      await expectGuardFailsClosed({ sessions, limits })
    } finally {
      redis.disconnect()
    }
  })

  it('answers 503 at once when PostgreSQL is on a closed port', async () => {
    const pool = createBoundedPool(await findFreePort())
    try {
      await expectGuardFailsClosed(postgresStorage(pool))
    } finally {
      await pool.end()
    }
  })

  it('answers 503 within the bound when Redis accepts connections but never answers', async () => {
    const silent = await startSilentServer()
    const redis = createBoundedRedis(silent.port)
    try {
      await expectGuardFailsClosed(redisStorage(redis))
    } finally {
      redis.disconnect()
      await silent.close()
    }
  })

  it('answers 503 within the bound when PostgreSQL accepts connections but never answers', async () => {
    const silent = await startSilentServer()
    const pool = createBoundedPool(silent.port)
    try {
      await expectGuardFailsClosed(postgresStorage(pool), 1)
    } finally {
      await pool.end()
      await silent.close()
    }
  })
})

// A real redis-server child that the test kills and starts again on the same port.
const redisPort = await findFreePort()
let throwaway: ThrowawayRedis | null = await connectOrReport('redis-server (throwaway)', redisPort, () =>
  startThrowawayRedis(redisPort),
)

if (throwaway !== null) {
  const redis: Redis = createBoundedRedis(redisPort)

  afterAll(async () => {
    redis.disconnect()
    await throwaway?.kill()
  })

  describe('a guarded route when Redis goes away and comes back', () => {
    it('answers 503 while Redis is down and recovers without a new app', async () => {
      await waitUntilRedisReady(redis)
      const { sessions, limits } = redisStorage(redis)
      const { handler } = createTestApp('express', { storage: { ...memoryStorage(), sessions, limits } })
      const email = 'recover@example.test'
      const signUp = await request(handler).post('/auth/signup').send({ email, password })
      expect(signUp.status).toBe(201)
      const cookie = sessionCookieOf(signUp.headers['set-cookie'])
      expect((await request(handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)

      await throwaway?.kill()
      for (let attempt = 0; attempt < 3; attempt++) {
        const startedAt = performance.now()
        const down = await request(handler).get('/api/projects').set('Cookie', cookie)
        expect(down.status).toBe(503)
        expect(down.body.error.code).toBe('STORAGE_UNAVAILABLE')
        expect(performance.now() - startedAt).toBeLessThan(BOUNDED_FAILURE_MS)
      }

      throwaway = await startThrowawayRedis(redisPort)
      // The client reconnects every 100 ms by itself; the app needs nothing new.
      await waitUntilRedisReady(redis)
      // Nothing was saved, so the session is gone: 401, not 503, and logging in again works.
      expect((await request(handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
      const login = await request(handler).post('/auth/session').send({ email, password })
      expect(login.status).toBe(200)
      const fresh = sessionCookieOf(login.headers['set-cookie'])
      expect((await request(handler).get('/api/projects').set('Cookie', fresh)).status).toBe(200)
    })
  })
}
