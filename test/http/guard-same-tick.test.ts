import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { AuthError, type CacheBroadcast, type CredentialRequest, type Storage } from '../../src/index.js'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import { createTestApp, sessionCookieOf } from '../support/example-apps.js'

// The guard answers in the same tick when everything it needs is in process (memory storage, a
// near-cache hit): no promise for the adapter to wait on. Anything else is a promise, and every
// failure a rejected one, never a throw.

const password = 'correct horse battery staple'
const origin = 'http://app.test'

function credentialRequest(headers: Record<string, string>): CredentialRequest {
  return { method: 'GET', headers: new Headers(headers) }
}

/** The storage with getWithUser answered one promise later, as a host's own store over a network would. */
function awaitingLookups(storage: Storage): Storage {
  const { sessions, tokens } = storage
  return {
    ...storage,
    sessions: Object.assign(Object.create(sessions) as typeof sessions, { getWithUser: async (hash: string, users: Storage['users']) => sessions.getWithUser(hash, users) }),
    tokens: Object.assign(Object.create(tokens) as typeof tokens, { getWithUser: async (hash: string, users: Storage['users']) => tokens.getWithUser(hash, users) }),
  }
}

const silentBroadcast: CacheBroadcast = {
  async publish() {},
  subscribe(listener) {
    listener.onState(true)
  },
}

async function signedUp(storage: Storage, extra: { sessionCache?: { maxEntries: number; ttlSeconds: number; broadcast: CacheBroadcast } } = {}) {
  const app = createTestApp('express', { storage, ...extra })
  const signup = await request(app.handler).post('/auth/signup').send({ email: 'ada@example.com', password })
  expect(signup.status).toBe(201)
  const cookie = sessionCookieOf(signup.headers['set-cookie'])
  await app.gate.delivery.drain()
  return { app, cookie }
}

async function rejectionOf(value: unknown): Promise<AuthError> {
  expect(value).toBeInstanceOf(Promise)
  const error = await (value as Promise<unknown>).then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AuthError)
  return error as AuthError
}

describe('the guard with memory storage', () => {
  it('answers a session cookie, a Bearer session token and an API token without a promise', async () => {
    const { app, cookie } = await signedUp(memoryStorage())
    const guard = app.gate.createGuard()
    const byCookie = guard(credentialRequest({ cookie }))
    expect(byCookie).not.toBeInstanceOf(Promise)
    expect(byCookie).toMatchObject({ method: 'cookie', user: { email: 'ada@example.com' } })

    const login = await request(app.handler).post('/auth/session?cookie=false').send({ email: 'ada@example.com', password })
    const bySessionToken = guard(credentialRequest({ authorization: `Bearer ${login.body.token as string}` }))
    expect(bySessionToken).toMatchObject({ method: 'bearer', user: { email: 'ada@example.com' } })

    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 'ci' })
    const byApiToken = guard(credentialRequest({ authorization: `Bearer ${created.body.token as string}` }))
    expect(byApiToken).toMatchObject({ method: 'bearer', token: { name: 'ci' }, user: { email: 'ada@example.com' } })
  })

  it('refuses with a rejected promise, never a throw: unknown, malformed, revoked and cross-site', async () => {
    const { app, cookie } = await signedUp(memoryStorage())
    const guard = app.gate.createGuard()
    expect((await rejectionOf(guard(credentialRequest({ cookie: 'gatehouse_session=ghs_unknown' })))).code).toBe('INVALID_TOKEN')
    expect((await rejectionOf(guard(credentialRequest({ authorization: 'Bearer' })))).code).toBe('INVALID_CREDENTIALS')
    expect((await rejectionOf(guard(credentialRequest({})))).code).toBe('UNAUTHENTICATED')
    const crossSite = { method: 'POST', headers: new Headers({ cookie, origin: 'https://evil.example' }) }
    expect((await rejectionOf(guard(crossSite))).status).toBe(403)
    const user = await app.gate.storage.users.getByEmail('ada@example.com')
    await app.gate.sessions.revokeAll({ userId: user!.id })
    const revoked = await rejectionOf(guard(credentialRequest({ cookie })))
    expect(revoked.code).toBe('INVALID_TOKEN')
    // The cookie of a dead session is cleared, on the same-tick path as on the awaited one.
    expect(revoked.cookies.some((set) => set.name === 'gatehouse_session' && set.value === '')).toBe(true)
  })

  it('optionalAuth answers an anonymous caller and a signed-in one without a promise', async () => {
    const { app, cookie } = await signedUp(memoryStorage())
    const guard = app.gate.createOptionalGuard()
    expect(guard(credentialRequest({}))).toBeUndefined()
    expect(guard(credentialRequest({ cookie }))).toMatchObject({ user: { email: 'ada@example.com' } })
    expect((await rejectionOf(guard(credentialRequest({ cookie: 'gatehouse_session=ghs_unknown' })))).code).toBe('INVALID_TOKEN')
  })
})

describe('the guard with a store that answers later', () => {
  it('answers with a promise of the same caller', async () => {
    const { app, cookie } = await signedUp(awaitingLookups(memoryStorage()))
    const result = app.gate.createGuard()(credentialRequest({ cookie }))
    expect(result).toBeInstanceOf(Promise)
    await expect(result).resolves.toMatchObject({ method: 'cookie', user: { email: 'ada@example.com' } })
  })

  it('with sessionCache: a promise on a miss, a value on a hit, a rejection once revoked', async () => {
    const { app, cookie } = await signedUp(awaitingLookups(memoryStorage()), {
      sessionCache: { maxEntries: 100, ttlSeconds: 30, broadcast: silentBroadcast },
    })
    const guard = app.gate.createGuard()
    const miss = guard(credentialRequest({ cookie }))
    expect(miss).toBeInstanceOf(Promise)
    await miss
    const hit = guard(credentialRequest({ cookie }))
    expect(hit).not.toBeInstanceOf(Promise)
    expect(hit).toMatchObject({ user: { email: 'ada@example.com' } })
    const user = await app.gate.storage.users.getByEmail('ada@example.com')
    await app.gate.sessions.revokeAll({ userId: user!.id })
    expect((await rejectionOf(guard(credentialRequest({ cookie })))).code).toBe('INVALID_TOKEN')
  })
})
