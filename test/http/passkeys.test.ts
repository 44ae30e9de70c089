import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { type Framework, type TestApp, frameworks } from '../support/example-apps.js'
import { createSecondFactorApp } from '../support/second-factor-apps.js'
import { SoftAuthenticator } from '../support/soft-authenticator.js'

const origin = 'http://app.test'
const password = 'correct horse battery'

/** One browser: its own cookie jar, sending the page's Origin like fetch() does. */
class Browser {
  private readonly cookies = new Map<string, string>()

  constructor(private readonly app: TestApp) {}

  async send(method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown, headers: Record<string, string> = {}) {
    let call = request(this.app.handler)[method](path).set('Origin', origin)
    const jar = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    if (jar !== '') call = call.set('Cookie', jar)
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value)
    const res = body === undefined ? await call : await call.send(body as object)
    const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined
    for (const line of setCookie ?? []) {
      const [pair] = line.split(';', 1)
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)]
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  has(name: string): boolean {
    return this.cookies.has(name)
  }
}

describe.each(frameworks)('%s: passkeys', (framework: Framework) => {
  function createApp(overrides: Partial<GatehouseOptions> = {}) {
    return createSecondFactorApp(framework, overrides)
  }

  async function signedIn(app: TestApp, email = 'jane@example.com') {
    const browser = new Browser(app)
    expect((await browser.send('post', '/auth/signup', { email, password })).status).toBe(201)
    return browser
  }

  /** Registers a passkey from `browser` (signed in) on `authenticator`; answers the listing entry. */
  async function register(browser: Browser, authenticator: SoftAuthenticator, name?: string) {
    const options = await browser.send('post', '/auth/passkeys/register/options')
    expect(options.status).toBe(200)
    const response = authenticator.create(options.body, { origin })
    const res = await browser.send('post', '/auth/passkeys/register', { response, ...(name === undefined ? {} : { name }) })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  async function loginOptions(browser: Browser) {
    const res = await browser.send('post', '/auth/passkeys/login/options')
    expect(res.status).toBe(200)
    return res.body
  }

  it('registers a discoverable passkey with attestation none and a 32-byte challenge bound to the browser', async () => {
    const app = createApp()
    const browser = await signedIn(app)
    const options = await browser.send('post', '/auth/passkeys/register/options', undefined, { Host: 'evil.test' })
    expect(options.status).toBe(200)
    expect(options.headers['cache-control']).toBe('no-store')
    // The Host header never decides the relying party.
    expect(options.body.rp).toEqual({ id: 'app.test', name: 'app.test' })
    expect(options.body.attestation).toBe('none')
    expect(options.body.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true })
    expect(Buffer.from(options.body.challenge, 'base64url')).toHaveLength(32)
    expect(options.body.user.name).toBe('jane@example.com')
    expect(browser.has('gatehouse_session_passkey')).toBe(true)

    const authenticator = new SoftAuthenticator()
    const response = authenticator.create(options.body, { origin })
    const res = await browser.send('post', '/auth/passkeys/register', { response, name: 'Laptop' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'Laptop', lastUsedAt: null, transports: ['internal'], deviceType: 'singleDevice', backedUp: false })
    expect(res.body.id).toMatch(/^pk_[0-9a-f]{64}$/)
    expect(browser.has('gatehouse_session_passkey')).toBe(false)

    const again = await browser.send('post', '/auth/passkeys/register/options')
    expect(again.body.excludeCredentials).toEqual([{ id: response.id, type: 'public-key', transports: ['internal'] }])
    const list = await browser.send('get', '/auth/passkeys')
    expect(list.status).toBe(200)
    expect(list.body).toEqual([res.body])
    const stored = await app.gate.storage.factors.getById(res.body.id)
    expect(stored).toMatchObject({ kind: 'passkey', name: 'Laptop', data: { credentialId: response.id } })
  })

  it('refuses registrations from the wrong origin or rpId, replayed, another user\'s, duplicate, or malformed', async () => {
    const app = createApp()
    const browser = await signedIn(app)
    const other = await signedIn(app, 'john@example.com')
    const authenticator = new SoftAuthenticator()

    const wrongOrigin = await browser.send('post', '/auth/passkeys/register/options')
    let res = await browser.send('post', '/auth/passkeys/register', { response: authenticator.create(wrongOrigin.body, { origin: 'http://evil.test' }) })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('PASSKEY_REJECTED')

    const wrongRp = await browser.send('post', '/auth/passkeys/register/options')
    res = await browser.send('post', '/auth/passkeys/register', { response: authenticator.create(wrongRp.body, { origin, rpId: 'evil.test' }) })
    expect(res.status).toBe(401)

    // The other user's challenge in this user's browser: the cookie is the other browser's.
    const foreign = await other.send('post', '/auth/passkeys/register/options')
    res = await browser.send('post', '/auth/passkeys/register', { response: authenticator.create(foreign.body, { origin }) })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('PASSKEY_CHALLENGE_INVALID')

    const good = await browser.send('post', '/auth/passkeys/register/options')
    const response = authenticator.create(good.body, { origin })
    expect((await browser.send('post', '/auth/passkeys/register', { response })).status).toBe(201)
    res = await browser.send('post', '/auth/passkeys/register', { response })
    expect(res.body.error.code).toBe('PASSKEY_CHALLENGE_INVALID')

    // The same credential id again, even by another user, is refused and the first stays.
    const theirs = await other.send('post', '/auth/passkeys/register/options')
    const duplicate = new SoftAuthenticator().create(theirs.body, { origin, credentialId: Buffer.from(response.id, 'base64url') })
    res = await other.send('post', '/auth/passkeys/register', { response: duplicate })
    expect(res.status).toBe(409)
    expect((await browser.send('get', '/auth/passkeys')).body).toHaveLength(1)
    expect((await other.send('get', '/auth/passkeys')).body).toHaveLength(0)

    for (const body of [{}, { response: 'x' }, { response: { ...response, type: 'password' } }, { response, name: '' }, { response, name: 'x'.repeat(65) }]) {
      await browser.send('post', '/auth/passkeys/register/options')
      res = await browser.send('post', '/auth/passkeys/register', body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400)
    }
    const garbage = { ...response, response: { ...response.response, attestationObject: 'AAAA', clientDataJSON: 'bm90IGpzb24' } }
    await browser.send('post', '/auth/passkeys/register/options')
    res = await browser.send('post', '/auth/passkeys/register', { response: garbage })
    expect(res.status).toBe(401)
    expect((await request(app.handler).post('/auth/passkeys/register').set('Origin', origin)).status).toBe(401)
  })

  it('signs in without a password: empty allowCredentials, user verification required, a complete session', async () => {
    const app = createApp()
    const authenticator = new SoftAuthenticator()
    const passkey = await register(await signedIn(app), authenticator, 'Phone')

    const browser = new Browser(app)
    const options = await loginOptions(browser)
    expect(options.allowCredentials).toEqual([])
    expect(options.userVerification).toBe('required')
    expect(options.rpId).toBe('app.test')
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32)
    const res = await browser.send('post', '/auth/passkeys/login', { response: authenticator.get(options, { origin }) })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.user.email).toBe('jane@example.com')
    expect(res.body.session.pendingSecondFactor).toBe(false)
    const current = await browser.send('get', '/auth/session')
    expect(current.status).toBe(200)
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['passkey'])
    // A user-verified passkey is two factors: routes that need a second factor let it through.
    expect((await browser.send('get', '/api/admin')).status).toBe(200)
    const [listed] = (await browser.send('get', '/auth/passkeys')).body
    expect(listed).toMatchObject({ id: passkey.id, lastUsedAt: new Date(app.clock.now()).toISOString() })
  })

  it('refuses sign-ins: wrong origin, wrong rpId, replay, expiry, another browser, no UV, unknown credential, counter regression', async () => {
    const app = createApp()
    const authenticator = new SoftAuthenticator()
    await register(await signedIn(app), authenticator)
    const browser = new Browser(app)
    const attempt = async (overrides: Parameters<SoftAuthenticator['get']>[1], using = authenticator) => {
      const options = await loginOptions(browser)
      return browser.send('post', '/auth/passkeys/login', { response: using.get(options, overrides) })
    }
    const expectRejected = (res: request.Response, code = 'PASSKEY_REJECTED') => {
      expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code)
      expect(res.headers['set-cookie']?.toString() ?? '').not.toMatch(/gatehouse_session=[^;]/)
    }

    expectRejected(await attempt({ origin: 'http://evil.test' }))
    expectRejected(await attempt({ origin, rpId: 'evil.test' }))
    expectRejected(await attempt({ origin, userVerified: false }))
    expectRejected(await attempt({ origin, type: 'webauthn.create' }))
    const unregistered = new SoftAuthenticator()
    unregistered.create({ challenge: 'AAAA', rp: { id: 'app.test', name: 'app.test' }, user: { id: 'dQ', name: 'u' } }, { origin })
    expectRejected(await attempt({ origin }, unregistered))

    // Replayed: the challenge is used up by the first answer.
    const options = await loginOptions(browser)
    const response = authenticator.get(options, { origin })
    expect((await browser.send('post', '/auth/passkeys/login', { response })).status).toBe(200)
    expectRejected(await browser.send('post', '/auth/passkeys/login', { response }), 'PASSKEY_CHALLENGE_INVALID')

    // Expired: 5 minutes by default.
    const late = await loginOptions(browser)
    app.clock.advance(301_000)
    expectRejected(await browser.send('post', '/auth/passkeys/login', { response: authenticator.get(late, { origin }) }), 'PASSKEY_CHALLENGE_INVALID')

    // Another browser's challenge: with no cookie, and with a cookie of its own.
    const stranger = new Browser(app)
    const mine = await loginOptions(browser)
    expectRejected(await stranger.send('post', '/auth/passkeys/login', { response: authenticator.get(mine, { origin }) }), 'PASSKEY_CHALLENGE_INVALID')
    await loginOptions(stranger)
    expectRejected(await stranger.send('post', '/auth/passkeys/login', { response: authenticator.get(mine, { origin }) }))

    // Counter: it moved to some value; an answer with a lower one is a clone.
    const forward = await loginOptions(browser)
    expect((await browser.send('post', '/auth/passkeys/login', { response: authenticator.get(forward, { origin, counter: 50 }) })).status).toBe(200)
    expectRejected(await attempt({ origin, counter: 49 }))
    expectRejected(await attempt({ origin, counter: 50 }))
    expect((await attempt({ origin, counter: 51 })).status).toBe(200)
  })

  it('accepts a counter of 0 every time from an authenticator that keeps none (synced passkeys)', async () => {
    const app = createApp()
    const synced = new SoftAuthenticator({ counterStep: 0, synced: true })
    const passkey = await register(await signedIn(app), synced)
    expect(passkey).toMatchObject({ deviceType: 'multiDevice', backedUp: true })
    const browser = new Browser(app)
    for (let round = 0; round < 3; round++) {
      const options = await loginOptions(browser)
      expect((await browser.send('post', '/auth/passkeys/login', { response: synced.get(options, { origin }) })).status).toBe(200)
    }
  })

  it('answers 4xx, never 500, to malformed sign-in bodies', async () => {
    const app = createApp()
    const authenticator = new SoftAuthenticator()
    await register(await signedIn(app), authenticator)
    const browser = new Browser(app)
    const options = await loginOptions(browser)
    const good = authenticator.get(options, { origin })
    const bodies: unknown[] = [
      {},
      { response: null },
      { response: [] },
      { response: { ...good, id: '' } },
      { response: { ...good, id: '!!!' } },
      { response: { ...good, response: { ...good.response, signature: 42 } } },
      { response: { ...good, response: { ...good.response, clientDataJSON: 'x'.repeat(20_000) } } },
      { response: { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } } },
      { response: { ...good, response: { ...good.response, authenticatorData: 'AA' } } },
      { response: { ...good, response: { ...good.response, signature: 'AAAA' } } },
      { response: { ...good, rawId: 'QUJD' } },
    ]
    for (const body of bodies) {
      await loginOptions(browser)
      const res = await browser.send('post', '/auth/passkeys/login', body)
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
    }
    const text = await request(app.handler).post('/auth/passkeys/login').set('Origin', origin).set('Content-Type', 'application/json').send('{"response":')
    expect(text.status).toBe(400)
    // Cross-site: refused before anything is read.
    const crossSite = await request(app.handler).post('/auth/passkeys/login/options').set('Origin', 'http://evil.test')
    expect(crossSite.status).toBe(403)
  })

  it('completes the second step of a password sign-in, with the pending user\'s passkey only', async () => {
    const app = createApp()
    const janes = new SoftAuthenticator()
    const johns = new SoftAuthenticator()
    await register(await signedIn(app), janes)
    await register(await signedIn(app, 'john@example.com'), johns)

    const browser = new Browser(app)
    const login = await browser.send('post', '/auth/session', { email: 'jane@example.com', password })
    expect(login.body).toEqual({ pending: true, secondFactors: ['passkey'] })
    expect((await browser.send('get', '/auth/session/second-factor')).body).toEqual({ secondFactors: ['passkey'] })
    expect((await browser.send('get', '/api/projects')).status).toBe(403)
    // The code route takes codes; a passkey answers through passkeyLogin.
    expect((await browser.send('post', '/auth/session/second-factor', { method: 'passkey', code: 'x' })).status).toBe(400)

    const options = await loginOptions(browser)
    expect(options.allowCredentials).toEqual([{ id: janes.credentials[0]!.id.toString('base64url'), type: 'public-key', transports: ['internal'] }])
    expect(options.userVerification).toBe('preferred')
    // John's passkey, correctly signed over Jane's challenge: not hers, refused.
    let res = await browser.send('post', '/auth/passkeys/login', { response: johns.get({ ...options, allowCredentials: [] }, { origin }) })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('PASSKEY_REJECTED')
    expect((await browser.send('get', '/api/projects')).status).toBe(403)

    // A second step needs no user verification (the password was the other factor).
    const again = await loginOptions(browser)
    res = await browser.send('post', '/auth/passkeys/login', { response: janes.get(again, { origin, userVerified: false }) })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.user.email).toBe('jane@example.com')
    expect(res.body.session.pendingSecondFactor).toBe(false)
    expect(res.body.session.id).not.toBe(login.body.session?.id)
    expect((await browser.send('get', '/api/admin')).status).toBe(200)
    const current = await browser.send('get', '/auth/session')
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['password', 'passkey'])
  })

  it('binds a second-step challenge to its pending session', async () => {
    const app = createApp()
    const janes = new SoftAuthenticator()
    await register(await signedIn(app), janes)
    const browser = new Browser(app)
    await browser.send('post', '/auth/session', { email: 'jane@example.com', password })
    const options = await loginOptions(browser)
    // A new pending session (logged in again) does not take the old one's challenge.
    await browser.send('post', '/auth/session', { email: 'jane@example.com', password })
    const res = await browser.send('post', '/auth/passkeys/login', { response: janes.get(options, { origin }) })
    expect(res.body.error.code).toBe('PASSKEY_CHALLENGE_INVALID')
  })

  it('lists, renames and removes passkeys; another user\'s are not found; the last way to sign in stays', async () => {
    const app = createApp()
    const jane = await signedIn(app)
    const john = await signedIn(app, 'john@example.com')
    const first = await register(jane, new SoftAuthenticator())
    const second = await register(jane, new SoftAuthenticator(), 'Key')
    expect(first.name).toBe('Passkey 1')

    let res = await jane.send('patch', `/auth/passkeys/${first.id}`, { name: '  Work laptop ' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: first.id, name: 'Work laptop' })
    expect((await jane.send('patch', `/auth/passkeys/${first.id}`, { name: '' })).status).toBe(400)
    expect((await jane.send('patch', `/auth/passkeys/${first.id}`, {})).status).toBe(400)
    expect((await john.send('patch', `/auth/passkeys/${first.id}`, { name: 'Mine' })).status).toBe(404)
    expect((await john.send('delete', `/auth/passkeys/${first.id}`)).status).toBe(404)
    expect((await jane.send('delete', '/auth/passkeys/pk_unknown')).status).toBe(404)
    expect((await jane.send('get', '/auth/passkeys')).body.map((each: { name: string }) => each.name)).toEqual(['Work laptop', 'Key'])

    // Jane has a password: both passkeys may go.
    expect((await jane.send('delete', `/auth/passkeys/${first.id}`)).status).toBe(204)
    expect((await jane.send('delete', `/auth/passkeys/${second.id}`)).status).toBe(204)
    expect((await jane.send('get', '/auth/passkeys')).body).toEqual([])
    expect((await app.gate.passkeys.list({ userId: (await app.gate.storage.users.getByEmail('jane@example.com'))!.id })).length).toBe(0)
  })

  it('refuses to remove the last passkey of an account without a password', async () => {
    const app = createApp()
    const now = app.clock.now()
    await app.gate.storage.users.create({ id: 'passwordless', email: 'pat@example.com', name: null, passwordHash: null, emailVerifiedAt: now, createdAt: now, updatedAt: now })
    const { token } = await app.gate.sessions.issue({ userId: 'passwordless', factors: [{ method: 'magic_link', at: now }] })
    const pat = new Browser(app)
    const bearer = { Authorization: `Bearer ${token}` }
    const start = await pat.send('post', '/auth/passkeys/register/options', undefined, bearer)
    const authenticators = [new SoftAuthenticator(), new SoftAuthenticator()]
    const ids: string[] = []
    for (const authenticator of authenticators) {
      const options = ids.length === 0 ? start : await pat.send('post', '/auth/passkeys/register/options', undefined, bearer)
      const res = await pat.send('post', '/auth/passkeys/register', { response: authenticator.create(options.body, { origin }) }, bearer)
      expect(res.status).toBe(201)
      ids.push(res.body.id)
    }
    expect((await pat.send('delete', `/auth/passkeys/${ids[0]}`, undefined, bearer)).status).toBe(204)
    const last = await pat.send('delete', `/auth/passkeys/${ids[1]}`, undefined, bearer)
    expect(last.status).toBe(409)
    expect(last.body.error.code).toBe('LAST_SIGN_IN_METHOD')
    await expect(app.gate.passkeys.remove({ userId: 'passwordless', id: ids[1]! })).rejects.toMatchObject({ code: 'LAST_SIGN_IN_METHOD' })
    // And it still signs Pat in.
    const browser = new Browser(app)
    const options = await loginOptions(browser)
    const res = await browser.send('post', '/auth/passkeys/login', { response: authenticators[1]!.get(options, { origin }) })
    expect(res.body.user.email).toBe('pat@example.com')
  })
})

describe.each(frameworks)('%s: passkey sign-in options', (framework) => {
  it('are rate-limited per client IP, and an account that unregisters takes its passkeys along', async () => {
    const app = createSecondFactorApp(framework, { passkeys: { rateLimits: { signInPerIp: { max: 3, windowSeconds: 60 } } } })
    const authenticator = new SoftAuthenticator()
    const jane = new Browser(app)
    await jane.send('post', '/auth/signup', { email: 'jane@example.com', password })
    const options = await jane.send('post', '/auth/passkeys/register/options')
    expect((await jane.send('post', '/auth/passkeys/register', { response: authenticator.create(options.body, { origin }) })).status).toBe(201)
    expect((await jane.send('post', '/auth/unregister', { password })).status).toBe(204)

    const browser = new Browser(app)
    const signIn = await browser.send('post', '/auth/passkeys/login/options')
    const res = await browser.send('post', '/auth/passkeys/login', { response: authenticator.get(signIn.body, { origin }) })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('PASSKEY_REJECTED')
    expect((await browser.send('post', '/auth/passkeys/login/options')).status).toBe(200)
    expect((await browser.send('post', '/auth/passkeys/login/options')).status).toBe(200)
    const limited = await browser.send('post', '/auth/passkeys/login/options')
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBeDefined()
    app.clock.advance(61_000)
    expect((await browser.send('post', '/auth/passkeys/login/options')).status).toBe(200)
  })
})

describe('passkey options', () => {
  it('derive from baseUrl, take explicit values, and refuse origins outside the rpId', () => {
    const base = { baseUrl: 'https://app.example.com' }
    expect(() => createGatehouse({ ...base, passkeys: { rpId: 'example.com', origins: ['https://app.example.com', 'https://example.com'] } })).not.toThrow()
    expect(() => createGatehouse({ ...base, passkeys: { rpId: 'other.com' } })).toThrow(ConfigError)
    expect(() => createGatehouse({ ...base, passkeys: { origins: ['https://evil.com'] } })).toThrow(/passkeys.origins/)
    expect(() => createGatehouse({ ...base, passkeys: { rpId: '127.0.0.1', origins: ['http://127.0.0.1:3000'] } })).toThrow(/IP address/)
    expect(() => createGatehouse({ ...base, passkeys: { origins: ['ftp://app.example.com'] } })).toThrow(ConfigError)
    expect(() => createGatehouse({ ...base, passkeys: { challengeLifetimeSeconds: 5 } })).toThrow(ConfigError)
  })
})
