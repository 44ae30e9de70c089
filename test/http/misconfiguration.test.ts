import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, createGatehouse, memoryStorage, storageUnavailable, type GatehouseOptions, type Storage } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { createTestApp, fastHashing, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { createSecondFactorApp } from '../support/second-factor-apps.js'
import { mountHost } from '../support/mount-host.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const email = 'misconfigured@example.com'
const password = 'correct horse battery'

/** A logger that keeps what it is told, so a test can count warnings. */
function recordingLogger() {
  const warnings: string[] = []
  const errors: string[] = []
  return { warnings, errors, logger: { error: (message: string) => void errors.push(message), warn: (message: string) => void warnings.push(message) } }
}

function gateWith(overrides: Partial<GatehouseOptions>) {
  return createGatehouse({ baseUrl: 'https://app.example.com', passwords: fastHashing, ...overrides } as GatehouseOptions)
}

/** Storage whose stores did not come from memoryStorage(): what the start-up checks take for durable. */
function durableLookingStorage(): Storage {
  const memory = memoryStorage()
  return Object.fromEntries(Object.entries(memory).map(([name, store]) => [name, Object.create(store) as object])) as unknown as Storage
}

const environment = process.env.NODE_ENV
afterEach(() => {
  process.env.NODE_ENV = environment
})

describe.each(frameworks)('%s: a CSRF refusal says what it expected', (framework) => {
  it('names the received and the expected origins, and hints at the same site on another port or host', async () => {
    const { logger, warnings } = recordingLogger()
    const gate = gateWith({ baseUrl: 'http://localhost:3000', logger })
    const handler = mountHost(framework, gate)
    const signup = (origin: string) => request(handler).post('/auth/signup').set('Origin', origin).send({ email, password })

    const otherPort = await signup('http://localhost:4001')
    expect(otherPort.status).toBe(403)
    expect(otherPort.body.error.code).toBe('CSRF_REJECTED')
    expect(otherPort.body.error.message).toContain('origin http://localhost:4001')
    expect(otherPort.body.error.message).toContain('only http://localhost:3000 may send it')
    expect(otherPort.body.error.message).toContain("add 'http://localhost:4001' to trustedOrigins")
    expect(otherPort.body.error.message).not.toMatch(/session cookie/)

    const loopbackAlias = await signup('http://127.0.0.1:3000')
    expect(loopbackAlias.body.error.message).toContain('Open the app at http://localhost:3000')
    const foreign = await signup('https://evil.example')
    expect(foreign.status).toBe(403)
    expect(foreign.body.error.message).toContain('origin https://evil.example')
    expect(foreign.body.error.message).not.toContain('Open the app')

    await signup('http://localhost:4001')
    // One warning per distinct refusal, not one per request.
    expect(warnings).toHaveLength(3)
    expect(warnings[0]).toContain('origin http://localhost:4001')
    expect(await gate.storage.users.getByEmail(email)).toBeNull()
  })

  it('keeps refusals short and the log quiet when NODE_ENV is production', async () => {
    process.env.NODE_ENV = 'production'
    const { logger, warnings } = recordingLogger()
    const gate = gateWith({ secret: 'a production secret of at least thirty-two characters', storage: durableLookingStorage(), logger })
    const res = await request(mountHost(framework, gate)).post('/auth/signup').set('Origin', 'https://app.example.com:8443').send({ email, password })
    expect(res.status).toBe(403)
    expect(res.body.error.message).toContain('origin https://app.example.com:8443')
    expect(res.body.error.message).not.toContain('trustedOrigins.')
    expect(warnings).toEqual([])
  })

  it('lets a cookie-authenticated SPA on a trusted origin through, and only that one', async () => {
    const gate = gateWith({ trustedOrigins: ['https://spa.example.net'], logger: recordingLogger().logger })
    const handler = mountHost(framework, gate)
    const signup = await request(handler).post('/auth/signup').set('Origin', 'https://spa.example.net').send({ email, password })
    expect(signup.status).toBe(201)
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const trusted = await request(handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', 'https://spa.example.net').send({ name: 'ci' })
    expect(trusted.status).toBe(201)
    const other = await request(handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', 'https://other.example.net').send({ name: 'ci' })
    expect(other.status).toBe(403)
    expect(other.body.error.message).toContain('only https://app.example.com, https://spa.example.net may send it')
  })
})

describe('start-up warnings name the risky set-up and the fix', () => {
  it('a generated secret with durable storage', () => {
    const { logger, warnings } = recordingLogger()
    gateWith({ storage: durableLookingStorage(), logger })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^secret: not set.*FACTOR_UNREADABLE.*openssl rand/)
  })

  it('an http baseUrl and memory storage in production', () => {
    process.env.NODE_ENV = 'production'
    const { logger, warnings } = recordingLogger()
    gateWith({ baseUrl: 'http://app.example.com', secret: 'a production secret of at least thirty-two characters', logger })
    expect(warnings).toEqual([expect.stringMatching(/^baseUrl: http:\/\/app\.example\.com is http while NODE_ENV is production/), expect.stringMatching(/^storage: every store is in memory/)])
    const keptInMemory = recordingLogger()
    gateWith({ secret: 'a production secret of at least thirty-two characters', storage: memoryStorage(), logger: keptInMemory.logger })
    expect(keptInMemory.warnings).toEqual([expect.stringMatching(/^storage: every store is in memory/)])
  })

  it('a mail-based feature configured without a sender', () => {
    const { logger, warnings } = recordingLogger()
    gateWith({ magicLinks: { createUsers: true }, passwordReset: { lifetimeSeconds: 600 }, otp: { maxAttempts: 3 }, logger })
    expect(warnings).toEqual([
      expect.stringMatching(/^magicLinks: configured, but no sender is set \(delivery\.email\).*404 FEATURE_DISABLED/),
      expect.stringMatching(/^otp: configured, but no sender is set \(delivery\.email or delivery\.sms\)/),
      expect.stringMatching(/^passwordReset: configured, but no sender/),
    ])
  })

  it('says nothing for a sound set-up, and a feature switched off on purpose', () => {
    const { logger, warnings } = recordingLogger()
    gateWith({ logger, magicLinks: { enabled: false } })
    gateWith({ logger, secret: 'a configured secret of at least thirty-two chars', storage: durableLookingStorage() })
    expect(warnings).toEqual([])
  })

  it('falls back to console.warn when the host logger has no warn, and refuses a warn that is not a function', () => {
    expect(() => gateWith({ logger: { error: () => {}, warn: 'loud' as unknown as () => void } })).toThrow(/logger: warn, when given, must be a function/)
  })
})

describe.each(frameworks)('%s: a TOTP secret the current secret cannot open', (framework) => {
  it('answers 401 FACTOR_UNREADABLE, warns once, and leaves recovery codes working', async () => {
    const storage = memoryStorage()
    const clock = createFixedClock()
    const before = createSecondFactorApp(framework, { secret: 'the secret before the restart, 32+ chars', storage, clock })
    const user = await before.gate.users.signUp({ email, password })
    const { secret } = await before.gate.totp.enable({ userId: user.id })
    const recoveryCodes = await before.gate.totp.confirm({ userId: user.id, code: referenceTotpAt(secret, clock.now()) })
    clock.advance(30_000)

    const { logger, warnings } = recordingLogger()
    const after = createSecondFactorApp(framework, { secret: 'another secret after the restart, 32+ chars', storage, clock, logger })
    const login = await request(after.handler).post('/auth/session').send({ email, password })
    const pending = sessionCookieOf(login.headers['set-cookie'])
    const verify = (method: string, code: string) => request(after.handler).post('/auth/session/second-factor').set('Cookie', pending).send({ method, code })
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await verify('totp', referenceTotpAt(secret, clock.now()))
      expect(refused.status).toBe(401)
      expect(refused.body.error.code).toBe('FACTOR_UNREADABLE')
    }
    expect(warnings).toEqual([expect.stringContaining('A TOTP secret could not be decrypted')])
    await expect(after.gate.totp.verify({ userId: user.id, code: '123456' })).rejects.toSatisfy(
      (error: unknown) => error instanceof AuthError && error.code === 'FACTOR_UNREADABLE' && error.status === 401,
    )
    expect((await verify('recovery_code', recoveryCodes[0]!)).status).toBe(200)
  })
})

describe.each(frameworks)('%s: a session cookie that no longer works is cleared', (framework) => {
  const cleared = /^gatehouse_session=; Max-Age=0;/

  async function signedIn() {
    const app = createTestApp(framework)
    const res = await request(app.handler).post('/auth/signup').send({ email, password })
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']) }
  }

  it('unknown, revoked and expired: 401 with a Set-Cookie that clears it, on auth routes and guarded host routes', async () => {
    const { app, cookie } = await signedIn()
    for (const path of ['/auth/session', '/api/projects']) {
      const unknown = await request(app.handler).get(path).set('Cookie', 'gatehouse_session=ghs_not-a-session')
      expect(unknown.status).toBe(401)
      expect(unknown.headers['set-cookie']).toEqual([expect.stringMatching(cleared)])
    }
    const user = (await app.gate.storage.users.getByEmail(email))!
    const second = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    await app.gate.storage.sessions.deleteByUser(user.id)
    const revoked = await request(app.handler).get('/api/projects').set('Cookie', cookie)
    expect([revoked.status, revoked.headers['set-cookie']]).toEqual([401, [expect.stringMatching(cleared)]])

    const fresh = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    app.clock.advance(31 * 24 * 3600 * 1000)
    const expired = await request(app.handler).get('/auth/session').set('Cookie', fresh)
    expect(expired.status).toBe(401)
    expect(expired.headers['set-cookie']).toEqual([expect.stringMatching(cleared)])
    expect(second).not.toBe(fresh)
  })

  it('a live cookie and a failing store are not cleared', async () => {
    const { app, cookie } = await signedIn()
    const live = await request(app.handler).get('/api/projects').set('Cookie', cookie)
    expect([live.status, live.headers['set-cookie']]).toEqual([200, undefined])
    const sessions = app.gate.storage.sessions
    const getWithUser = sessions.getWithUser.bind(sessions)
    sessions.getWithUser = async () => {
      throw storageUnavailable(new Error('connection refused'))
    }
    try {
      const down = await request(app.handler).get('/api/projects').set('Cookie', cookie)
      expect(down.status).toBe(503)
      expect(down.headers['set-cookie']).toBeUndefined()
    } finally {
      sessions.getWithUser = getWithUser
    }
  })
})

describe.each(frameworks)('%s: maxBodyBytes holds behind the host body parser too', (framework) => {
  it('a declared body over the limit is 413 whether or not the host parsed it, and creates nothing', async () => {
    // The Express example parses JSON itself (express.json(), limit 100 KB); the Koa one leaves the body to gatehouse.
    const app = createTestApp(framework)
    const body = JSON.stringify({ email, password, name: 'x'.repeat(70_000) })
    const res = await request(app.handler).post('/auth/signup').set('Content-Type', 'application/json').send(body)
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(await app.gate.storage.users.getByEmail(email)).toBeNull()
  })
})
