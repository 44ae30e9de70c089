import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { CacheBroadcast, CacheBroadcastListener } from '../../src/index.js'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import { countingStorage } from '../support/counting-storage.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'

// sessionCache in one process: what it saves, what drops an entry, and that it serves nothing
// while its broadcast is down. Across processes: test/storage/session-cache-processes.test.ts.

const password = 'correct horse battery staple'
const origin = 'http://app.test'

/** A broadcast the test drives: it records what is published and flips listening on demand. */
function createTestBroadcast(): CacheBroadcast & { published: string[]; listener: () => CacheBroadcastListener } {
  let subscribed: CacheBroadcastListener | undefined
  const published: string[] = []
  return {
    published,
    async publish(message) {
      published.push(message)
    },
    subscribe(listener) {
      subscribed = listener
      listener.onState(true)
    },
    listener() {
      if (subscribed === undefined) throw new Error('not subscribed')
      return subscribed
    },
  }
}

describe.each(frameworks)('%s: sessionCache', (framework) => {
  async function signedUp(cache: { maxEntries?: number } = {}) {
    const counted = countingStorage(memoryStorage())
    const broadcast = createTestBroadcast()
    const app = createTestApp(framework, {
      storage: counted.storage,
      sessionCache: { maxEntries: cache.maxEntries ?? 100, ttlSeconds: 30, broadcast },
    })
    const signup = await request(app.handler).post('/auth/signup').send({ email: 'ada@example.com', password })
    expect(signup.status).toBe(201)
    await app.gate.delivery.drain()
    return { app, cookie: sessionCookieOf(signup.headers['set-cookie']), calls: counted.calls, inner: counted.storage, broadcast }
  }

  const guarded = (app: { handler: Parameters<typeof request>[0] }, cookie: string) => request(app.handler).get('/api/projects').set('Cookie', cookie)

  async function lookupsFor(calls: string[], run: () => Promise<unknown>): Promise<number> {
    calls.length = 0
    await run()
    return calls.filter((call) => call.endsWith('.getWithUser')).length
  }

  it('serves a validated session from process memory until ttlSeconds, then reads the store again', async () => {
    const { app, cookie, calls } = await signedUp()
    const lookups = await lookupsFor(calls, async () => {
      for (let i = 0; i < 5; i++) expect((await guarded(app, cookie)).status).toBe(200)
    })
    expect(lookups).toBe(1)
    app.clock.advance(30_000)
    expect(await lookupsFor(calls, async () => expect((await guarded(app, cookie)).status).toBe(200))).toBe(1)
  })

  it('serves an API token the same way', async () => {
    const { app, cookie, calls } = await signedUp()
    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 'ci' })
    expect(created.status).toBe(201)
    const bearer = `Bearer ${created.body.token as string}`
    const lookups = await lookupsFor(calls, async () => {
      for (let i = 0; i < 4; i++) expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    })
    expect(lookups).toBe(1)
    expect((await request(app.handler).delete(`/auth/tokens/${created.body.id as string}`).set('Cookie', cookie).set('Origin', origin)).status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(401)
  })

  it('drops an API token expired by revokeKeepsListed, locally at once and on the broadcast', async () => {
    const counted = countingStorage(memoryStorage())
    const broadcast = createTestBroadcast()
    const app = createTestApp(framework, { storage: counted.storage, sessionCache: { maxEntries: 100, ttlSeconds: 30, broadcast }, tokens: { revokeKeepsListed: true } })
    const signup = await request(app.handler).post('/auth/signup').send({ email: 'ada@example.com', password })
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 'ci' })
    const bearer = `Bearer ${created.body.token as string}`
    const lookups = await lookupsFor(counted.calls, async () => {
      for (let i = 0; i < 3; i++) expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    })
    expect(lookups).toBe(1)
    broadcast.published.length = 0
    expect((await request(app.handler).delete(`/auth/tokens/${created.body.id as string}`).set('Cookie', cookie).set('Origin', origin)).status).toBe(204)
    expect(broadcast.published).toEqual([`tokens:${created.body.id as string}`])
    const refused = await request(app.handler).get('/api/projects').set('Authorization', bearer)
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('TOKEN_EXPIRED')
  })

  it('drops the session on logout, locally at once and on the broadcast', async () => {
    const { app, cookie, broadcast } = await signedUp()
    expect((await guarded(app, cookie)).status).toBe(200)
    const logout = await request(app.handler).delete('/auth/session').set('Cookie', cookie).set('Origin', origin)
    expect(logout.status).toBe(204)
    expect(broadcast.published).toContainEqual(expect.stringMatching(/^sessions:/))
    expect((await guarded(app, cookie)).status).toBe(401)
  })

  it('drops the other sessions on a password change, and every session on unregister', async () => {
    const { app, cookie } = await signedUp()
    const second = await request(app.handler).post('/auth/session').send({ email: 'ada@example.com', password })
    const other = sessionCookieOf(second.headers['set-cookie'])
    expect((await guarded(app, other)).status).toBe(200)
    const newPassword = 'another horse battery staple'
    const change = await request(app.handler).post('/auth/password').set('Cookie', cookie).set('Origin', origin).send({ currentPassword: password, newPassword })
    expect(change.status).toBe(204)
    expect((await guarded(app, other)).status).toBe(401)
    expect((await guarded(app, cookie)).status).toBe(200)
    const unregister = await request(app.handler).post('/auth/unregister').set('Cookie', cookie).set('Origin', origin).send({ password: newPassword })
    expect(unregister.status).toBe(204)
    expect((await guarded(app, cookie)).status).toBe(401)
  })

  it('drops what a broadcast message names, as another process revoking it would', async () => {
    const { app, cookie, calls, broadcast } = await signedUp()
    const current = await request(app.handler).get('/auth/session').set('Cookie', cookie)
    const sessionId = current.body.session.id as string
    expect((await guarded(app, cookie)).status).toBe(200)
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(0)
    broadcast.listener().onMessage(`sessions:${sessionId}`)
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(1)
    broadcast.listener().onMessage(`user:${current.body.user.id as string}`)
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(1)
    broadcast.listener().onMessage('unknown:message')
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(0)
  })

  it('fails closed: while the broadcast is down every request reads the store, and a revocation there counts at once', async () => {
    const { app, cookie, calls, inner, broadcast } = await signedUp()
    expect((await guarded(app, cookie)).status).toBe(200)
    broadcast.listener().onState(false)
    const lookups = await lookupsFor(calls, async () => {
      for (let i = 0; i < 3; i++) expect((await guarded(app, cookie)).status).toBe(200)
    })
    expect(lookups).toBe(3)
    // Revoked behind the cache's back (another process whose broadcast is lost): refused at once.
    const current = await request(app.handler).get('/auth/session').set('Cookie', cookie)
    await inner.sessions.deleteByUser(current.body.user.id as string)
    expect((await guarded(app, cookie)).status).toBe(401)
  })

  it('keeps at most maxEntries, the least recently used going first', async () => {
    const { app, cookie, calls } = await signedUp({ maxEntries: 1 })
    const second = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email: 'ada@example.com', password })).headers['set-cookie'])
    expect((await guarded(app, cookie)).status).toBe(200)
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(0)
    expect(await lookupsFor(calls, () => guarded(app, second))).toBe(1)
    expect(await lookupsFor(calls, () => guarded(app, cookie))).toBe(1)
  })

  it('refuses a ttlSeconds over 3600 or not below the idle timeout, and a broadcast without subscribe', () => {
    expect(() => createTestApp(framework, { sessionCache: { maxEntries: 10, ttlSeconds: 3601 } })).toThrow(/sessionCache\.ttlSeconds/)
    expect(() => createTestApp(framework, { sessions: { idleTimeoutSeconds: 60 }, sessionCache: { maxEntries: 10, ttlSeconds: 60 } })).toThrow(
      /sessionCache: ttlSeconds must be below sessions\.idleTimeoutSeconds/,
    )
    const broadcast = { publish: async () => undefined } as unknown as CacheBroadcast
    expect(() => createTestApp(framework, { sessionCache: { maxEntries: 10, ttlSeconds: 5, broadcast } })).toThrow(/subscribe\(\) method/)
  })
})
