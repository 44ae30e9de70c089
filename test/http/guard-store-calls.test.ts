import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import { countingStorage } from '../support/counting-storage.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { openPostgresPool } from '../support/server-connection.js'

// What a guarded request costs in store calls: one lookup (session or token with its user), and
// a write only when the sliding refresh is due, after the response.

const password = 'correct horse battery staple'

describe.each(frameworks)('%s: store calls per guarded request (memory)', (framework) => {
  async function signedUp() {
    const counted = countingStorage(memoryStorage())
    const app = createTestApp(framework, { storage: counted.storage })
    const signup = await request(app.handler).post('/auth/signup').send({ email: 'ada@example.com', password })
    expect(signup.status).toBe(201)
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    await app.gate.delivery.drain()
    return { app, cookie, calls: counted.calls }
  }

  it('a cookie session costs one call, and the sliding refresh one write per interval after the response', async () => {
    const { app, cookie, calls } = await signedUp()
    calls.length = 0
    for (let i = 0; i < 3; i++) expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    await app.gate.delivery.drain()
    expect(calls).toEqual(['sessions.getWithUser', 'sessions.getWithUser', 'sessions.getWithUser'])
    calls.length = 0
    app.clock.advance(app.gate.config.sessions.refreshIntervalSeconds * 1000)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    await app.gate.delivery.drain()
    expect(calls).toEqual(['sessions.getWithUser', 'sessions.touch'])
  })

  it('an API token costs one call', async () => {
    const { app, cookie, calls } = await signedUp()
    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', 'http://app.test').send({ name: 'ci' })
    expect(created.status).toBe(201)
    const bearer = `Bearer ${created.body.token as string}`
    // The first use writes lastUsedAt (after the response); later ones within the interval write nothing.
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    await app.gate.delivery.drain()
    calls.length = 0
    for (let i = 0; i < 3; i++) expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    await app.gate.delivery.drain()
    expect(calls).toEqual(['tokens.getWithUser', 'tokens.getWithUser', 'tokens.getWithUser'])
  })
})

const pool = await openPostgresPool()
if (pool !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
  beforeAll(() => migrate(pool, { schema }))
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  })

  /** A pool whose queries are recorded: the statement name, or the text's first word for unnamed ones. */
  function countingPool(): { pool: pg.Pool; queries: string[] } {
    const queries: string[] = []
    const counted = new Proxy(pool as pg.Pool, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver)
        return (config: string | pg.QueryConfig, values?: unknown[]) => {
          queries.push(typeof config === 'string' ? config.trim().split(/\s/, 1)[0]! : (config.name ?? config.text.trim().split(/\s/, 1)[0]!))
          return typeof config === 'string' ? target.query(config, values) : target.query(config)
        }
      },
    })
    return { pool: counted, queries }
  }

  describe.each(frameworks)('%s: queries per guarded request (PostgreSQL)', (framework) => {
    it('a cookie session costs one named prepared query, the refresh one more after the response', async () => {
      const { pool: counted, queries } = countingPool()
      const app = createTestApp(framework, { storage: postgresStorage(counted, { schema }) })
      const email = `${randomBytes(6).toString('hex')}@example.com`
      const signup = await request(app.handler).post('/auth/signup').send({ email, password })
      expect(signup.status).toBe(201)
      const cookie = sessionCookieOf(signup.headers['set-cookie'])
      await app.gate.delivery.drain()
      queries.length = 0
      for (let i = 0; i < 3; i++) expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
      await app.gate.delivery.drain()
      expect(queries).toHaveLength(3)
      expect(new Set(queries).size).toBe(1)
      expect(queries[0]).toMatch(/^gatehouse_[0-9a-f]{24}$/)
      queries.length = 0
      app.clock.advance(app.gate.config.sessions.refreshIntervalSeconds * 1000)
      expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
      await app.gate.delivery.drain()
      expect(queries).toHaveLength(2)
      expect(queries[1]).toBe('UPDATE')
    })
  })
}
