import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, memoryStorage, type Gatehouse, type GatehouseOptions, type TokenStore } from '../../src/index.js'
import { createMemoryTokenStore } from '../../src/storage/memory-token-store.js'
import { type Framework, createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'
import { tamperToken } from '../support/tamper-token.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const declared: Partial<GatehouseOptions> = { tokens: { scopes: ['read', 'write', 'admin'] } }

/** Host routes guarded with needs, beside the example app and sharing its gate. */
function guardedApp(framework: Framework, gate: Gatehouse) {
  return mountHost(framework, gate, {
    guarded: { '/read': { scopes: ['read'] }, '/write': { scopes: ['write'] }, '/step-up': { secondFactor: true } },
  })
}

/** Every way an API token can be presented: Bearer, `<token>:api_token` Basic, the API-key header. */
function presentationsOf(token: string): [header: string, value: string][] {
  return [
    ['Authorization', `Bearer ${token}`],
    ['Authorization', `Basic ${Buffer.from(`${token}:api_token`).toString('base64')}`],
    ['X-API-Key', token],
  ]
}

describe.each(frameworks)('%s: API tokens', (framework) => {
  async function signedUp(overrides: Partial<GatehouseOptions> = {}, who = email) {
    const app = createTestApp(framework, overrides)
    const res = await request(app.handler).post('/auth/signup').send({ email: who, password })
    expect(res.status).toBe(201)
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']), userId: res.body.user.id as string }
  }

  async function createToken(handler: TestHandler, cookie: string, body: object = { name: 'ci' }) {
    const res = await request(handler).post('/auth/tokens').set('Cookie', cookie).send(body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as { id: string; token: string; name: string; scopes: string[]; expiresAt: string | null; hint: string }
  }

  type TestHandler = ReturnType<typeof createTestApp>['handler']

  it('creates a prefixed 256-bit token, shown once and stored as sha256 only', async () => {
    const { app, cookie, userId } = await signedUp()
    const created = await createToken(app.handler, cookie, { name: 'ci' })
    expect(created.token).toMatch(/^ghp_[A-Za-z0-9_-]{43}$/)
    expect(created).toMatchObject({ name: 'ci', scopes: [], expiresAt: null, hint: `ghp_…${created.token.slice(-4)}` })
    const stored = await app.gate.storage.tokens.listByUser(userId)
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(4))
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/)

    const list = await request(app.handler).get('/auth/tokens').set('Cookie', cookie)
    expect(list.status).toBe(200)
    expect(list.body).toEqual([
      { id: created.id, userId, name: 'ci', scopes: [], createdAt: expect.any(String), lastUsedAt: null, expiresAt: null, expired: false, hint: created.hint },
    ])
    const one = await request(app.handler).get(`/auth/tokens/${created.id}`).set('Cookie', cookie)
    expect(one.status).toBe(200)
    expect(one.body.id).toBe(created.id)
    expect(JSON.stringify([list.body, one.body])).not.toContain(created.token.slice(4))
  })

  it('accepts the token as Bearer, as Basic <token>:api_token and in the API-key header', async () => {
    const { app, cookie } = await signedUp()
    const { token, id } = await createToken(app.handler, cookie)
    const basic = `Basic ${Buffer.from(`${token}:api_token`).toString('base64')}`
    for (const [header, value, method] of [
      ['Authorization', `Bearer ${token}`, 'bearer'],
      ['Authorization', basic, 'basic'],
      ['X-API-Key', token, 'api_key'],
    ] as const) {
      const guarded = await request(app.handler).get('/api/projects').set(header, value)
      expect(guarded.status, method).toBe(200)
      expect(guarded.body.owner).toBe(email)
      const current = await request(app.handler).get('/auth/session').set(header, value)
      expect(current.status).toBe(200)
      expect(current.body).toMatchObject({ method, session: null, token: { id, kind: 'api_token', name: 'ci', scopes: [] }, factors: [] })
    }
  })

  it('honours a configured API-key header name (Pupil Cloud api_key)', async () => {
    const { app, cookie } = await signedUp({ tokens: { apiKeyHeader: 'api_key' } })
    const { token } = await createToken(app.handler, cookie)
    expect((await request(app.handler).get('/api/projects').set('api_key', token)).status).toBe(200)
    const other = await request(app.handler).get('/api/projects').set('X-API-Key', token)
    expect(other.status).toBe(401)
    expect(other.body.error.code).toBe('UNAUTHENTICATED')
  })

  it('writes lastUsedAt at most once per minute per token', async () => {
    let touches = 0
    const memory = createMemoryTokenStore()
    const counting: TokenStore = { ...memory, touch: (id, at) => ((touches += 1), memory.touch(id, at)) }
    const { app, cookie } = await signedUp({ storage: { ...memoryStorage(), tokens: counting } })
    const { token, id } = await createToken(app.handler, cookie)
    for (let i = 0; i < 5; i++) expect((await request(app.handler).get('/api/projects').set('X-API-Key', token)).status).toBe(200)
    expect(touches).toBe(1)
    const usedAt = (await request(app.handler).get(`/auth/tokens/${id}`).set('Cookie', cookie)).body.lastUsedAt
    expect(usedAt).toBe(new Date(app.clock.now()).toISOString())
    app.clock.advance(59_000)
    await request(app.handler).get('/api/projects').set('X-API-Key', token)
    expect(touches).toBe(1)
    app.clock.advance(1_000)
    await request(app.handler).get('/api/projects').set('X-API-Key', token)
    expect(touches).toBe(2)
  })

  it("answers 404 for another user's token id and for unknown ids, and changes nothing", async () => {
    const jane = await signedUp()
    const { token, id } = await createToken(jane.app.handler, jane.cookie)
    const mallory = await request(jane.app.handler).post('/auth/signup').send({ email: 'mallory@example.com', password })
    const malloryCookie = sessionCookieOf(mallory.headers['set-cookie'])
    for (const res of [
      await request(jane.app.handler).get(`/auth/tokens/${id}`).set('Cookie', malloryCookie),
      await request(jane.app.handler).delete(`/auth/tokens/${id}`).set('Cookie', malloryCookie),
      await request(jane.app.handler).get('/auth/tokens/unknown').set('Cookie', jane.cookie),
      await request(jane.app.handler).delete(`/auth/tokens/${'x'.repeat(300)}`).set('Cookie', jane.cookie),
    ]) {
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('NOT_FOUND')
    }
    expect((await request(jane.app.handler).get('/auth/tokens').set('Cookie', malloryCookie)).body).toEqual([])
    expect((await request(jane.app.handler).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(200)
  })

  it('revoking makes the secret fail at once, in every way it could be presented', async () => {
    const { app, cookie } = await signedUp()
    const { token, id } = await createToken(app.handler, cookie)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', token)).status).toBe(200)
    expect((await request(app.handler).delete(`/auth/tokens/${id}`).set('Cookie', cookie)).status).toBe(204)
    for (const [header, value] of presentationsOf(token)) {
      const res = await request(app.handler).get('/api/projects').set(header, value)
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('INVALID_TOKEN')
    }
    expect((await request(app.handler).delete(`/auth/tokens/${id}`).set('Cookie', cookie)).status).toBe(404)
  })

  it('with revokeKeepsListed, revoking expires the token: still listed as expired, its secret refused, revoking again 204', async () => {
    const { app, cookie, userId } = await signedUp({ tokens: { revokeKeepsListed: true } })
    const { token, id } = await createToken(app.handler, cookie)
    const other = await createToken(app.handler, cookie, { name: 'other' })
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(200)
    app.clock.advance(1000)
    expect((await request(app.handler).delete(`/auth/tokens/${id}`).set('Cookie', cookie)).status).toBe(204)
    for (const [header, value] of presentationsOf(token)) {
      const res = await request(app.handler).get('/api/projects').set(header, value)
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('TOKEN_EXPIRED')
    }
    const list = await request(app.handler).get('/auth/tokens').set('Cookie', cookie)
    expect(list.body.map((each: { id: string; expired: boolean; expiresAt: string | null }) => [each.id, each.expired, each.expiresAt])).toEqual([
      [id, true, new Date(app.clock.now()).toISOString()],
      [other.id, false, null],
    ])
    expect((await request(app.handler).get(`/auth/tokens/${id}`).set('Cookie', cookie)).body).toMatchObject({ id, userId, expired: true })
    app.clock.advance(1000)
    expect((await request(app.handler).delete(`/auth/tokens/${id}`).set('Cookie', cookie)).status).toBe(204)
    // Revoking again never moves the expiry.
    expect((await request(app.handler).get(`/auth/tokens/${id}`).set('Cookie', cookie)).body.expiresAt).toBe(list.body[0].expiresAt)
    expect((await request(app.handler).delete('/auth/tokens/unknown').set('Cookie', cookie)).status).toBe(404)
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${other.token}`)).status).toBe(200)
    expect(await app.gate.tokens.revoke({ userId, tokenId: other.id })).toBe(true)
    expect((await app.gate.tokens.list({ userId })).map((each) => each.expired)).toEqual([true, true])
  })

  it('without revokeKeepsListed, an access client is deleted; with it, only API tokens are kept', async () => {
    const { app, userId } = await signedUp({ tokens: { revokeKeepsListed: true } })
    const client = await app.gate.tokens.activateAccessClient({ userId, name: 'pos' })
    expect(await app.gate.tokens.revoke({ userId, tokenId: client.id, kind: 'access_client' })).toBe(true)
    expect(await app.gate.tokens.list({ userId, kind: 'access_client' })).toEqual([])
  })

  it('counts only live tokens toward maxPerUser; at the cap the oldest expired token makes room', async () => {
    const { app, cookie, userId } = await signedUp({ tokens: { maxPerUser: 2, revokeKeepsListed: true } })
    const first = await createToken(app.handler, cookie, { name: 'first' })
    const second = await createToken(app.handler, cookie, { name: 'second' })
    expect((await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'third' })).status).toBe(409)
    expect((await request(app.handler).delete(`/auth/tokens/${first.id}`).set('Cookie', cookie)).status).toBe(204)
    expect((await app.gate.tokens.list({ userId })).map((each) => each.name)).toEqual(['first', 'second'])
    const third = await createToken(app.handler, cookie, { name: 'third' })
    expect((await app.gate.tokens.list({ userId })).map((each) => [each.id, each.expired])).toEqual([
      [second.id, false],
      [third.id, false],
    ])
  })

  it('expires tokens (401 TOKEN_EXPIRED) and keeps lifetimes within maxLifetimeSeconds', async () => {
    const { app, cookie } = await signedUp({ tokens: { maxLifetimeSeconds: 7200 } })
    const short = await createToken(app.handler, cookie, { name: 'short', expiresInSeconds: 60 })
    const capped = await createToken(app.handler, cookie, { name: 'default lifetime' })
    expect(Date.parse(capped.expiresAt!)).toBe(app.clock.now() + 7200_000)
    const tooLong = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'long', expiresInSeconds: 7201 })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error.code).toBe('INVALID_REQUEST')

    expect((await request(app.handler).get('/api/projects').set('X-API-Key', short.token)).status).toBe(200)
    app.clock.advance(60_000)
    const expired = await request(app.handler).get('/api/projects').set('X-API-Key', short.token)
    expect(expired.status).toBe(401)
    expect(expired.body.error.code).toBe('TOKEN_EXPIRED')
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', capped.token)).status).toBe(200)
  })

  it('answers wrong and malformed tokens with 401, never a 500', async () => {
    const { app, cookie } = await signedUp()
    const { token } = await createToken(app.handler, cookie)
    const activated = await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })
    const clientToken = activated.body.token as string
    const flipped = tamperToken(token)
    const cases: [string, string][] = [
      ['Authorization', `Bearer ${flipped}`],
      ['Authorization', `Bearer ghp_${'a'.repeat(5000)}`],
      ['Authorization', 'Bearer ghp_'],
      ['Authorization', `Bearer ${clientToken}`],
      ['Authorization', `Basic ${Buffer.from(`${flipped}:api_token`).toString('base64')}`],
      ['Authorization', `Basic ${Buffer.from('ghp_:api_token').toString('base64')}`],
      ['X-API-Key', flipped],
      ['X-API-Key', 'not a token at all'],
      ['X-API-Key', clientToken],
      ['Access-Client-Token', token],
      ['Access-Client-Token', 'gha_%%%'],
    ]
    for (const [header, value] of cases) {
      const res = await request(app.handler).get('/api/projects').set(header, value)
      expect(res.status, `${header}: ${value.slice(0, 30)}`).toBe(401)
      expect(['INVALID_TOKEN', 'INVALID_CREDENTIALS']).toContain(res.body.error.code)
    }
  })

  it('reads credentials in order: Authorization, access-client header, API-key header, cookie', async () => {
    const { app, cookie } = await signedUp()
    const { token } = await createToken(app.handler, cookie)
    const client = (await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })).body.token
    const badBearer = await request(app.handler).get('/auth/session').set('Authorization', 'Bearer ghp_wrong').set('X-API-Key', token)
    expect(badBearer.status).toBe(401)
    const both = await request(app.handler).get('/auth/session').set('X-API-Key', token).set('Access-Client-Token', client).set('Cookie', cookie)
    expect(both.body.method).toBe('access_client')
    const keyAndCookie = await request(app.handler).get('/auth/session').set('X-API-Key', token).set('Cookie', cookie)
    expect(keyAndCookie.body.method).toBe('api_key')
    const badKey = await request(app.handler).get('/auth/session').set('X-API-Key', 'ghp_wrong').set('Cookie', cookie)
    expect(badKey.status).toBe(401)
  })

  it('enforces scopes on guards (403 SCOPE_MISSING); sessions have every right', async () => {
    const { app, cookie } = await signedUp(declared)
    const guarded = guardedApp(framework, app.gate)
    const reader = await createToken(app.handler, cookie, { name: 'reader', scopes: ['read'] })
    expect((await request(guarded).get('/read').set('X-API-Key', reader.token)).status).toBe(200)
    const denied = await request(guarded).post('/write').set('X-API-Key', reader.token)
    expect(denied.status).toBe(403)
    expect(denied.body.error.code).toBe('SCOPE_MISSING')
    expect((await request(guarded).post('/write').set('Cookie', cookie)).status).toBe(200)
    expect((await request(guarded).post('/write').auth(email, password)).status).toBe(200)
    const auth = (await request(guarded).get('/read').set('Authorization', `Bearer ${reader.token}`)).body
    expect(auth).toMatchObject({ method: 'bearer', scopes: ['read'], token: { name: 'reader', kind: 'api_token' } })

    const defaults = await createToken(app.handler, cookie, { name: 'all declared' })
    expect(defaults.scopes).toEqual(['read', 'write', 'admin'])
    const unknown = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'x', scopes: ['read', 'root'] })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.code).toBe('INVALID_REQUEST')
    expect(await app.gate.storage.tokens.listByUser(auth.user.id)).toHaveLength(2)
  })

  it('a token is not a second factor: step-up guards refuse it', async () => {
    const { app, cookie } = await signedUp()
    const { token } = await createToken(app.handler, cookie)
    const res = await request(guardedApp(framework, app.gate)).get('/step-up').set('X-API-Key', token)
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
  })

  it('a token mints tokens only with the manage scope, and only within its own scopes and expiry', async () => {
    const { app, cookie, userId } = await signedUp(declared)
    const plain = await createToken(app.handler, cookie, { name: 'plain', scopes: ['read', 'write'] })
    for (const res of [
      await request(app.handler).post('/auth/tokens').set('X-API-Key', plain.token).send({ name: 'child', scopes: ['read'] }),
      await request(app.handler).get('/auth/tokens').set('X-API-Key', plain.token),
      await request(app.handler).delete(`/auth/tokens/${plain.id}`).set('X-API-Key', plain.token),
      await request(app.handler).post('/auth/tokens/reset').set('X-API-Key', plain.token),
      await request(app.handler).post('/auth/access-clients').set('X-API-Key', plain.token).send({ name: 'pos' }),
    ]) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('SCOPE_MISSING')
    }
    expect(await app.gate.storage.tokens.listByUser(userId)).toHaveLength(1)

    const manager = await createToken(app.handler, cookie, { name: 'manager', scopes: ['read', 'tokens:write'], expiresInSeconds: 3600 })
    const wider = await request(app.handler).post('/auth/tokens').set('Authorization', `Bearer ${manager.token}`).send({ name: 'w', scopes: ['write'] })
    expect(wider.status).toBe(403)
    expect(wider.body.error.code).toBe('SCOPE_MISSING')
    const child = await request(app.handler).post('/auth/tokens').set('Authorization', `Bearer ${manager.token}`)
      .send({ name: 'child', expiresInSeconds: 999_999 })
    expect(child.status).toBe(201)
    expect(child.body.scopes).toEqual(['read'])
    expect(child.body.expiresAt).toBe(manager.expiresAt)
    const listed = await request(app.handler).get('/auth/tokens').set('X-API-Key', manager.token)
    expect(listed.status).toBe(200)
    expect(listed.body).toHaveLength(3)
  })

  it('token-authenticated unsafe requests skip the CSRF check; cookie ones do not', async () => {
    const { app, cookie } = await signedUp()
    const { token } = await createToken(app.handler, cookie)
    const client = (await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })).body.token
    for (const [header, value] of [['X-API-Key', token], ['Access-Client-Token', client], ['Authorization', `Bearer ${token}`]]) {
      const res = await request(app.handler).post('/api/projects').set(header!, value!).set('Origin', 'https://evil.test').send({})
      expect(res.status).toBe(201)
    }
    const forged = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', 'https://evil.test').send({ name: 'x' })
    expect(forged.status).toBe(403)
    expect(forged.body.error.code).toBe('CSRF_REJECTED')
  })

  it('a session still waiting for its second factor cannot create tokens', async () => {
    const { app, userId } = await signedUp()
    const pending = await app.gate.sessions.issue({ userId, factors: [{ method: 'password', at: app.clock.now() }], pendingSecondFactor: true })
    const res = await request(app.handler).post('/auth/tokens').set('Authorization', `Bearer ${pending.token}`).send({ name: 'x' })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    expect(await app.gate.storage.tokens.listByUser(userId)).toHaveLength(0)
  })

  it('reset replaces the default token; the old one fails at once', async () => {
    const { app, cookie } = await signedUp()
    const first = await request(app.handler).post('/auth/tokens/reset').set('Cookie', cookie)
    expect(first.status).toBe(200)
    expect(first.headers['cache-control']).toBe('no-store')
    expect(first.body).toMatchObject({ name: 'default', token: expect.stringMatching(/^ghp_/) })
    const other = await createToken(app.handler, cookie, { name: 'kept' })
    const second = await request(app.handler).post('/auth/tokens/reset').auth(email, password)
    expect(second.status).toBe(200)
    expect(second.body.token).not.toBe(first.body.token)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', first.body.token)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', second.body.token)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', other.token)).status).toBe(200)
  })

  it('refuses bad bodies with 400 and creates nothing; caps tokens per user with 409', async () => {
    const { app, cookie, userId } = await signedUp({ tokens: { maxPerUser: 2 } })
    for (const body of [
      { name: 'x'.repeat(101) },
      { name: 5 },
      { scopes: 'read' },
      { scopes: ['x'.repeat(101)] },
      { expiresInSeconds: -1 },
      { expiresInSeconds: 'soon' },
      { expiresInSeconds: 1.5 },
      [1, 2],
    ]) {
      const res = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    expect((await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({})).status).toBe(400)
    expect(await app.gate.storage.tokens.listByUser(userId)).toHaveLength(0)
    const unnamed = await request(app.handler).post('/auth/tokens').set('Cookie', cookie)
    expect(unnamed.status).toBe(201)
    expect(unnamed.body.name).toBe('API token')
    await createToken(app.handler, cookie)
    const third = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'third' })
    expect(third.status).toBe(409)
    expect(third.body.error.code).toBe('TOKEN_LIMIT_REACHED')
  })

  it('reports token methods in loginOptions', async () => {
    const { app } = await signedUp()
    const res = await request(app.handler).get('/auth/login-options')
    expect(res.body).toMatchObject({ apiToken: true, accessClient: true })
  })
})

describe.each(frameworks)('%s: access clients', (framework) => {
  async function signedUp(overrides: Partial<GatehouseOptions> = {}) {
    const app = createTestApp(framework, overrides)
    const res = await request(app.handler).post('/auth/signup').send({ email, password })
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']), userId: res.body.user.id as string }
  }

  it('activates, uses, disconnects; the secret stops working at once', async () => {
    const { app, cookie, userId } = await signedUp()
    const activated = await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos terminal' })
    expect(activated.status).toBe(201)
    expect(activated.body).toMatchObject({ id: expect.any(String), name: 'pos terminal', token: expect.stringMatching(/^gha_[A-Za-z0-9_-]{43}$/) })
    const client = activated.body.token as string
    const current = await request(app.handler).get('/auth/session').set('Access-Client-Token', client)
    expect(current.body).toMatchObject({ method: 'access_client', token: { kind: 'access_client', name: 'pos terminal' } })
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', client)).status).toBe(200)
    // Access clients are not API tokens: the token routes do not show them.
    expect((await request(app.handler).get('/auth/tokens').set('Cookie', cookie)).body).toEqual([])
    expect((await request(app.handler).get(`/auth/tokens/${activated.body.id}`).set('Cookie', cookie)).status).toBe(404)

    const withoutClient = await request(app.handler).delete('/auth/access-client').set('Cookie', cookie)
    expect(withoutClient.status).toBe(400)
    expect(withoutClient.body.error.code).toBe('ACCESS_CLIENT_REQUIRED')
    expect((await request(app.handler).delete('/auth/access-client').set('Access-Client-Token', client)).status).toBe(204)
    const after = await request(app.handler).get('/api/projects').set('Access-Client-Token', client)
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('INVALID_TOKEN')
    expect(await app.gate.storage.tokens.listByUser(userId, 'access_client')).toHaveLength(0)
  })

  it('reactivating a name gives a new secret and kills the old one; other names live on', async () => {
    const { app, cookie } = await signedUp()
    const activate = (name: string) => request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name })
    const first = (await activate('pos')).body.token
    const other = (await activate('kiosk')).body.token
    const second = (await activate('pos')).body.token
    expect(second).not.toBe(first)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', first)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', second)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', other)).status).toBe(200)
  })

  it('honours a configured access-client header name', async () => {
    const { app, cookie } = await signedUp({ tokens: { accessClientHeader: 'X-Client' } })
    const client = (await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })).body.token
    expect((await request(app.handler).get('/api/projects').set('X-Client', client)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', client)).status).toBe(401)
  })
})

describe.each(frameworks)('%s: password change and unregister end tokens', (framework) => {
  async function withCredentials(overrides: Partial<GatehouseOptions> = {}) {
    const app = createTestApp(framework, overrides)
    const signup = await request(app.handler).post('/auth/signup').send({ email, password })
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const token = (await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'ci' })).body.token as string
    const client = (await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })).body.token as string
    return { app, cookie, token, client }
  }

  it('changing the password revokes tokens and access clients by default', async () => {
    const { app, cookie, token, client } = await withCredentials()
    const change = await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: password, newPassword: 'a brand new password' })
    expect(change.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', token)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', client)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
  })

  it('keeps them when revokeOnPasswordChange is false', async () => {
    const { app, cookie, token, client } = await withCredentials({ tokens: { revokeOnPasswordChange: false } })
    await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: password, newPassword: 'a brand new password' })
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', token)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', client)).status).toBe(200)
  })

  it('a token changes the account only with the manage scope', async () => {
    const { app, cookie, token, client } = await withCredentials()
    for (const [header, value] of [['X-API-Key', token], ['Access-Client-Token', client]]) {
      for (const res of [
        await request(app.handler).patch('/auth/profile').set(header!, value!).send({ email: 'mallory@example.com' }),
        await request(app.handler).post('/auth/password').set(header!, value!).send({ currentPassword: password, newPassword: 'taken over now' }),
        await request(app.handler).post('/auth/unregister').set(header!, value!).send({ password }),
      ]) {
        expect(res.status).toBe(403)
        expect(res.body.error.code).toBe('SCOPE_MISSING')
      }
    }
    expect((await request(app.handler).get('/auth/profile').set('X-API-Key', token)).body.user.email).toBe(email)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    const manager = (await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ scopes: ['tokens:write'] })).body.token
    const renamed = await request(app.handler).patch('/auth/profile').set('X-API-Key', manager).send({ name: 'Jane' })
    expect(renamed.status).toBe(200)
  })

  it('unregistering, even through a token, ends every token', async () => {
    const { app, cookie, token, client } = await withCredentials()
    const manager = (await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ scopes: ['tokens:write'] })).body.token
    const gone = await request(app.handler).post('/auth/unregister').set('X-API-Key', manager).send({ password })
    expect(gone.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('X-API-Key', token)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', client)).status).toBe(401)
  })
})

describe('token options', () => {
  it.each([
    [{ scopes: ['read'], defaultScopes: ['write'] }, 'tokens.defaultScopes'],
    [{ apiKeyHeader: 'Cookie' }, 'tokens.apiKeyHeader'],
    [{ apiKeyHeader: 'bad header' }, 'tokens.apiKeyHeader'],
    [{ apiKeyHeader: 'X-Key', accessClientHeader: 'x-key' }, 'tokens.accessClientHeader'],
    [{ scopes: ['has space'] }, 'tokens.scopes'],
    [{ maxPerUser: 0 }, 'tokens.maxPerUser'],
    [{ unknown: true }, 'tokens'],
  ])('refuses %j', (tokens, problem) => {
    let error: unknown
    try {
      createGatehouse({ baseUrl: 'http://app.test', tokens: tokens as GatehouseOptions['tokens'] })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems.join('\n')).toContain(problem)
  })

  it('gate.tokens works without HTTP: the host creates, validates and revokes', async () => {
    const gate = createGatehouse({ baseUrl: 'http://app.test', tokens: { scopes: ['read', 'write'], defaultScopes: ['read'] } })
    const user = await gate.users.signUp({ email, password: null })
    const issued = await gate.tokens.create({ userId: user.id, name: 'from the host' })
    expect(issued.scopes).toEqual(['read'])
    expect(await gate.tokens.validate({ secret: issued.token })).toMatchObject({ userId: user.id, token: { id: issued.id } })
    await expect(gate.tokens.validate({ secret: issued.token, kind: 'access_client' })).rejects.toMatchObject({ status: 401 })
    expect(await gate.tokens.revoke({ userId: 'someone else', tokenId: issued.id })).toBe(false)
    expect(await gate.tokens.revoke({ userId: user.id, tokenId: issued.id })).toBe(true)
    await expect(gate.tokens.validate({ secret: issued.token, kind: 'api_token' })).rejects.toMatchObject({ code: 'INVALID_TOKEN' })
  })
})
