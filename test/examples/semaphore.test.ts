import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../examples/semaphore/app.js'
import type { GatehouseOptions, OidcProviderOptions } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, sessionCookieOf } from '../support/example-apps.js'
import { clientId, clientSecret, cookieOf, openCallback, setCookieLines } from '../support/oidc-apps.js'
import { type TestOpenIdProvider, followProviderRedirects, startTestOpenIdProvider } from '../support/oidc-test-provider.js'
import { openApiEndpointKeys, readSeedDocument, seedEndpointKeys, unservedEndpoints } from '../support/seed-endpoints.js'

// The app is only ever called in process (supertest); its origin is a loopback address all the same.
const origin = 'http://127.0.0.1:3001'
const redirectUri = `${origin}/api/auth/oidc/mysso/redirect`
const password = 'long enough pw'
const crossSite = 'https://evil.test'

let op: TestOpenIdProvider

beforeAll(async () => {
  op = await startTestOpenIdProvider({
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })
  op.accounts.set('alice', { email: 'alice@example.com', emailVerified: true, name: 'Alice' })
  op.accounts.set('dave', { email: 'dave@example.com', emailVerified: true, name: 'Dave' })
})

afterAll(async () => {
  await op.close()
})

function mysso(overrides: Partial<OidcProviderOptions> = {}): OidcProviderOptions {
  return { id: 'mysso', name: 'Sign in with MySSO', issuer: op.issuer, clientId, clientSecret, linkByEmail: true, ...overrides }
}

async function setUp(options: Partial<GatehouseOptions> = {}) {
  const started = Date.now()
  const app = await createApp({ baseUrl: origin, clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {}, warn: () => {} }, ...options })
  const startedInMs = Date.now() - started
  const user = await app.gate.users.signUp({ email: 'ada@example.com', password, name: 'Ada' })
  return { ...app, user, startedInMs }
}

type Listener = Awaited<ReturnType<typeof setUp>>['listener']

/** S2 as the web UI sends it; answers the session cookie. */
async function logIn(listener: Listener, auth = 'ada@example.com', pw = password): Promise<string> {
  const res = await request(listener).post('/api/auth/login').send({ auth, password: pw })
  expect(res.status, JSON.stringify(res.body)).toBe(204)
  return sessionCookieOf(res.headers['set-cookie'])
}

/** S8 with a cookie from this origin (the CSRF check passes). */
async function createToken(listener: Listener, cookie: string, body?: object) {
  const call = request(listener).post('/api/user/tokens').set('Cookie', cookie).set('Origin', origin)
  const res = await (body === undefined ? call : call.send(body))
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: number; token: string; name: string; created: string; expired: boolean; user_id: number }
}

describe('Semaphore example', () => {
  it('starts in under a second', async () => {
    expect((await setUp()).startedInMs).toBeLessThan(1000)
  })

  it("serves the seed's endpoint table exactly, every endpoint from gatehouse's route table", async () => {
    const seed = readSeedDocument('001_0ce27baf9e587ecb.txt')
    expect(seed.basePath).toBe('/api')
    const { gate, listener } = await setUp()
    expect(openApiEndpointKeys(gate.openApi())).toEqual(seedEndpointKeys(seed))
    expect(await unservedEndpoints(listener, seed)).toEqual([])
  })

  it('S1 lists the configured OIDC providers as {id, name}, none by default', async () => {
    const none = await request((await setUp()).listener).get('/api/auth/login')
    expect(none.status).toBe(200)
    expect(none.body).toEqual({ oidc_providers: [] })
    const { listener } = await setUp({ oidc: { allowInsecureRequests: true, providers: [mysso(), mysso({ id: 'other', name: 'Other SSO' })] } })
    const two = await request(listener).get('/api/auth/login')
    expect(two.body).toEqual({
      oidc_providers: [
        { id: 'mysso', name: 'Sign in with MySSO' },
        { id: 'other', name: 'Other SSO' },
      ],
    })
  })

  it('S2 takes a user name or an e-mail as auth, both the same account', async () => {
    const { listener, userNames } = await setUp()
    userNames.add({ userName: 'ada', email: 'ada@example.com' })
    const byName = await logIn(listener, ' Ada ')
    const byEmail = await logIn(listener, 'ada@example.com')
    const [fromName, fromEmail] = [await createToken(listener, byName), await createToken(listener, byEmail)]
    expect(fromName.user_id).toBe(1)
    expect(fromEmail.user_id).toBe(1)
    for (const auth of ['nobody', 'ada@', '']) {
      const res = await request(listener).post('/api/auth/login').send({ auth, password: auth === 'nobody' ? password : 'wrong password' })
      expect(res.status, auth).toBe(auth === '' ? 400 : 401)
    }
    const wrong = await request(listener).post('/api/auth/login').send({ auth: 'ada', password: 'wrong password' })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS')
    const empty = await request(listener).post('/api/auth/login').send({ auth: '', password })
    expect(empty.body.error.details).toEqual([expect.objectContaining({ path: 'auth' })])
  })

  it('S2 logs in with {auth, password}: 204, no body, the session cookie; 400 for a bad body, 401 for wrong credentials', async () => {
    const { listener } = await setUp()
    const ok = await request(listener).post('/api/auth/login').send({ auth: ' Ada@Example.com ', password })
    expect(ok.status).toBe(204)
    expect(ok.text).toBe('')
    const line = setCookieLines(ok.headers['set-cookie']).find((each) => each.startsWith('gatehouse_session='))!
    expect(line).toMatch(/HttpOnly/i)
    expect(line).toMatch(/SameSite=Lax/i)
    const cookie = sessionCookieOf(ok.headers['set-cookie'])
    expect((await request(listener).get('/api/user/tokens').set('Cookie', cookie)).status).toBe(200)

    for (const body of [{}, { password }, { auth: 'ada@example.com' }, { auth: 5, password }, { auth: 'ada@example.com', password: ['x'] }, { auth: null, password }, [1]]) {
      const res = await request(listener).post('/api/auth/login').send(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    const broken = await request(listener).post('/api/auth/login').set('content-type', 'application/json').send('{"auth":')
    expect(broken.status).toBe(400)
    for (const [auth, pw] of [
      ['ada@example.com', 'wrong password'],
      ['nobody@example.com', password],
    ]) {
      const res = await request(listener).post('/api/auth/login').send({ auth, password: pw })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS')
      expect(res.headers['set-cookie']).toBeUndefined()
    }
  })

  it('S3 ends the cookie session (204, cookie cleared); 401 without credentials; a bearer token logs out without expiring', async () => {
    const { listener } = await setUp()
    const anonymous = await request(listener).post('/api/auth/logout')
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED')

    const cookie = await logIn(listener)
    const { token } = await createToken(listener, cookie)
    const bearer = await request(listener).post('/api/auth/logout').set('Authorization', `Bearer ${token}`)
    expect(bearer.status).toBe(204)
    expect((await request(listener).get('/api/user/tokens').set('Authorization', `Bearer ${token}`)).status).toBe(200)

    const csrf = await request(listener).post('/api/auth/logout').set('Cookie', cookie).set('Origin', crossSite)
    expect(csrf.status).toBe(403)
    expect(csrf.body.error.code).toBe('CSRF_REJECTED')
    const out = await request(listener).post('/api/auth/logout').set('Cookie', cookie).set('Origin', origin)
    expect(out.status).toBe(204)
    expect(setCookieLines(out.headers['set-cookie']).some((line) => /^gatehouse_session=;.*Max-Age=0/i.test(line))).toBe(true)
    expect((await request(listener).get('/api/user/tokens').set('Cookie', cookie)).status).toBe(401)
    expect((await request(listener).post('/api/auth/logout').set('Cookie', cookie).set('Origin', origin)).status).toBe(401)
  })

  it('S8 creates a token (201, integer ids, the secret only here); S7 lists it without the secret; both schemes work', async () => {
    const { listener, user } = await setUp()
    expect(user.id).toBe('1')
    const cookie = await logIn(listener)
    const first = await createToken(listener, cookie)
    expect(first).toEqual({ id: 1, name: 'API token', created: expect.any(String), expired: false, user_id: 1, token: expect.stringMatching(/^ghp_[A-Za-z0-9_-]{43}$/) })
    const second = await createToken(listener, cookie, { name: 'my CI token' })
    expect(second).toMatchObject({ id: 2, name: 'my CI token', user_id: 1, expired: false })
    expect((await request(listener).post('/api/user/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 7 })).status).toBe(400)

    const listed = await request(listener).get('/api/user/tokens').set('Cookie', cookie)
    expect(listed.status).toBe(200)
    expect(listed.body).toEqual([
      { id: 1, name: 'API token', created: first.created, expired: false, user_id: 1 },
      { id: 2, name: 'my CI token', created: second.created, expired: false, user_id: 1 },
    ])
    expect(JSON.stringify(listed.body)).not.toContain(first.token.slice(4))

    const bearer = { Authorization: `Bearer ${first.token}` }
    expect((await request(listener).get('/api/user/tokens').set(bearer)).body).toEqual(listed.body)
    // A bearer request is no browser's: it skips the CSRF check.
    const byToken = await request(listener).post('/api/user/tokens').set(bearer).set('Origin', crossSite).send({ name: 'from a token' })
    expect(byToken.status).toBe(201)
    expect(byToken.body.id).toBe(3)
  })

  it('S6 expires a token: still listed with expired: true, refused as bearer, 204 again; unknown or foreign ids 404', async () => {
    const { listener, gate } = await setUp()
    const cookie = await logIn(listener)
    const kept = await createToken(listener, cookie, { name: 'kept' })
    const doomed = await createToken(listener, cookie, { name: 'doomed' })
    const expire = (id: number | string, auth: Record<string, string> = { Cookie: cookie, Origin: origin }) => request(listener).delete(`/api/user/tokens/${id}`).set(auth)

    const csrf = await expire(doomed.id, { Cookie: cookie, Origin: crossSite })
    expect(csrf.status).toBe(403)
    expect(csrf.body.error.code).toBe('CSRF_REJECTED')
    const done = await expire(doomed.id)
    expect(done.status).toBe(204)
    expect(done.text).toBe('')
    const listed = await request(listener).get('/api/user/tokens').set('Cookie', cookie)
    expect(listed.body.map((token: { id: number; expired: boolean }) => [token.id, token.expired])).toEqual([
      [kept.id, false],
      [doomed.id, true],
    ])
    const refused = await request(listener).get('/api/user/tokens').set('Authorization', `Bearer ${doomed.token}`)
    expect(refused.status).toBe(401)
    expect(refused.body.error.code).toBe('TOKEN_EXPIRED')
    expect((await expire(doomed.id)).status).toBe(204)
    // Expiring by bearer token: the token's own id, and it stops working at once.
    expect((await expire(kept.id, { Authorization: `Bearer ${kept.token}` })).status).toBe(204)
    expect((await request(listener).get('/api/user/tokens').set('Authorization', `Bearer ${kept.token}`)).status).toBe(401)

    await gate.users.signUp({ email: 'eve@example.com', password, name: 'Eve' })
    const eve = await logIn(listener, 'eve@example.com')
    const eves = await createToken(listener, eve)
    for (const id of [eves.id, 999, 'not-a-number']) {
      const res = await expire(id)
      expect(res.status, String(id)).toBe(404)
      expect(res.body.error.code).toBe('NOT_FOUND')
    }
    expect((await request(listener).get('/api/user/tokens').set('Authorization', `Bearer ${eves.token}`)).body).toEqual([
      { id: eves.id, name: 'API token', created: eves.created, expired: false, user_id: 2 },
    ])
  })

  it('S3, S6, S7 and S8 answer 401 without credentials and with a bad bearer token', async () => {
    const { listener } = await setUp()
    for (const bad of [undefined, 'Bearer ghp_not-a-real-token-at-all', 'Bearer nonsense']) {
      for (const [method, path] of [
        ['post', '/api/auth/logout'],
        ['get', '/api/user/tokens'],
        ['post', '/api/user/tokens'],
        ['delete', '/api/user/tokens/1'],
      ] as const) {
        const call = request(listener)[method](path)
        const res = await (bad === undefined ? call : call.set('Authorization', bad))
        expect(res.status, `${method} ${path} ${bad}`).toBe(401)
        expect(res.body.error.code).toMatch(/^(UNAUTHENTICATED|INVALID_TOKEN)$/)
      }
    }
  })

  describe('S4 and S5 against a real OpenID Provider', () => {
    async function oidcApp() {
      // The provider signs with the real time, so this app keeps it.
      return setUp({ clock: { now: () => Date.now() }, oidc: { allowInsecureRequests: true, providers: [mysso()] } })
    }

    async function start(listener: Listener, provider = 'mysso') {
      const res = await request(listener).get(`/api/auth/oidc/${provider}/login`)
      expect(res.status).toBe(302)
      return { location: res.headers.location as string, stateCookie: cookieOf(res.headers['set-cookie'], 'gatehouse_oidc'), res }
    }

    it('S4 redirects to the provider with the code flow, PKCE S256, state and nonce, and the /redirect callback', async () => {
      const { listener } = await oidcApp()
      const { location, stateCookie, res } = await start(listener)
      const authorize = new URL(location)
      expect(authorize.origin).toBe(op.issuer)
      expect(authorize.searchParams.get('response_type')).toBe('code')
      expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUri)
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
      expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(stateCookie).toBeDefined()
      expect(setCookieLines(res.headers['set-cookie']).find((line) => line.startsWith('gatehouse_oidc='))).toContain('Path=/api/auth/oidc/mysso/redirect')
    })

    it('S5 signs a new user in: 302 to the root URL with the session cookie, and the user has an integer id', async () => {
      const { listener } = await oidcApp()
      op.signInAs('dave')
      const { location, stateCookie } = await start(listener)
      const callback = await openCallback(listener, await followProviderRedirects(location, redirectUri), [stateCookie])
      expect(callback.status).toBe(302)
      expect(callback.headers.location).toBe(`${origin}/`)
      const cookie = sessionCookieOf(callback.headers['set-cookie'])
      expect(setCookieLines(callback.headers['set-cookie']).some((line) => line.startsWith('gatehouse_oidc=;'))).toBe(true)
      const token = await createToken(listener, cookie)
      expect(token.user_id).toBe(2)
    })

    it('S5 matches an existing account by its verified e-mail', async () => {
      const { listener, gate } = await oidcApp()
      const alice = await gate.users.signUp({ email: 'alice@example.com', password, name: 'Alice' })
      op.signInAs('alice')
      const { location, stateCookie } = await start(listener)
      const callback = await openCallback(listener, await followProviderRedirects(location, redirectUri), [stateCookie])
      expect(callback.headers.location).toBe(`${origin}/`)
      const token = await createToken(listener, sessionCookieOf(callback.headers['set-cookie']))
      expect(token.user_id).toBe(Number(alice.id))
    })

    it('every failure is a 302 to the login page with ?error=CODE and no session; an unknown provider too, never a 404', async () => {
      const { listener } = await oidcApp()
      const loginPage = `${origin}/auth/login`
      const unknown = await request(listener).get('/api/auth/oidc/nobody/login')
      expect(unknown.status).toBe(302)
      expect(unknown.headers.location).toBe(`${loginPage}?error=OIDC_PROVIDER_UNKNOWN`)
      const unknownCallback = await request(listener).get('/api/auth/oidc/nobody/redirect?code=x&state=y')
      expect(unknownCallback.status).toBe(302)
      expect(unknownCallback.headers.location).toBe(`${loginPage}?error=OIDC_STATE_INVALID`)

      const { location, stateCookie } = await start(listener)
      const state = new URL(location).searchParams.get('state')!
      const denied = await openCallback(listener, new URL(`${redirectUri}?error=access_denied&state=${state}&iss=${encodeURIComponent(op.issuer)}`), [stateCookie])
      expect(denied.status).toBe(302)
      expect(denied.headers.location).toBe(`${loginPage}?error=OIDC_ACCESS_DENIED`)

      op.signInAs('alice')
      const again = await start(listener)
      const callbackUrl = await followProviderRedirects(again.location, redirectUri)
      const noCookie = await openCallback(listener, callbackUrl, [])
      expect(noCookie.status).toBe(302)
      expect(noCookie.headers.location).toBe(`${loginPage}?error=OIDC_STATE_INVALID`)
      const badCode = await openCallback(listener, new URL(`${redirectUri}?code=forged&state=${new URL(again.location).searchParams.get('state')!}&iss=${encodeURIComponent(op.issuer)}`), [again.stateCookie])
      expect(badCode.status).toBe(302)
      expect(badCode.headers.location).toMatch(new RegExp(`^${loginPage}\\?error=OIDC_[A-Z_]+$`))
      for (const failure of [unknown, unknownCallback, denied, noCookie, badCode]) expect(cookieOf(failure.headers['set-cookie'], 'gatehouse_session')).toBeUndefined()
    })
  })
})
