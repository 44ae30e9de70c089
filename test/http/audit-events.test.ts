import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { type SecurityEvent, memoryAuditStore } from '../../src/index.js'
import { type DeliveryTestApp, createDeliveryTestApp, linkIn, pathOf } from '../support/delivery-apps.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const newPassword = 'another horse battery'
const origin = 'http://app.test'
const ip = '203.0.113.7'
const userAgent = 'audit-test/1.0'

interface AuditApp extends DeliveryTestApp {
  events: SecurityEvent[]
}

function createAuditApp(framework: (typeof frameworks)[number], withStore = true): AuditApp {
  const events: SecurityEvent[] = []
  const app = createDeliveryTestApp(framework, {
    onEvent: (event) => {
      events.push(event)
    },
    ...(withStore ? { audit: { store: memoryAuditStore(), maxListed: 100 } } : {}),
  })
  return { ...app, events }
}

/** A request as the test client sends it: a fixed address and user agent. */
function client(app: DeliveryTestApp, method: 'get' | 'post' | 'patch' | 'delete', path: string, cookie?: string) {
  const req = request(app.handler)[method](path).set('X-Forwarded-For', ip).set('User-Agent', userAgent).set('Origin', origin)
  return cookie === undefined ? req : req.set('Cookie', cookie)
}

describe.each(frameworks)('%s: audit events', (framework) => {
  it('records every security outcome with time, user, session, IP and user agent, and never a secret', async () => {
    const app = createAuditApp(framework)
    const secrets: string[] = [password, newPassword]

    const signup = await client(app, 'post', '/auth/signup').send({ email, password })
    expect(signup.status).toBe(201)
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    secrets.push(cookie.split('=')[1]!)
    const userId = signup.body.user.id as string

    expect((await client(app, 'post', '/auth/session').send({ email, password: 'wrong password!' })).status).toBe(401)
    expect((await client(app, 'post', '/auth/session').send({ email: 'nobody@example.com', password })).status).toBe(401)

    const created = await client(app, 'post', '/auth/tokens', cookie).send({ name: 'ci' })
    expect(created.status).toBe(201)
    secrets.push(created.body.token)
    expect((await client(app, 'delete', `/auth/tokens/${created.body.id}`, cookie)).status).toBe(204)

    await client(app, 'post', '/auth/email-verification', cookie).send({})
    await app.gate.delivery.drain()
    const verifyLink = linkIn(app.mailer.last(email)!.text)
    secrets.push(verifyLink.searchParams.get('token')!)
    expect((await client(app, 'post', pathOf(verifyLink), cookie).set('Accept', 'application/json').send({})).status).toBe(200)

    const enrolment = await client(app, 'post', '/auth/totp', cookie).send({})
    secrets.push(enrolment.body.secret)
    const code = referenceTotpAt(enrolment.body.secret, app.clock.now())
    secrets.push(code)
    const confirmed = await client(app, 'post', '/auth/totp/confirm', cookie).send({ code })
    expect(confirmed.status).toBe(200)
    secrets.push(...(confirmed.body.recoveryCodes as string[]))

    const login = await client(app, 'post', '/auth/session').send({ email, password })
    expect(login.body.pending).toBe(true)
    const pending = sessionCookieOf(login.headers['set-cookie'])
    expect((await client(app, 'post', '/auth/session/second-factor', pending).send({ method: 'recovery_code', code: 'AAAA-BBBB' })).status).toBe(401)
    const completed = await client(app, 'post', '/auth/session/second-factor', pending).send({ method: 'recovery_code', code: confirmed.body.recoveryCodes[0] })
    expect(completed.status).toBe(200)
    const second = sessionCookieOf(completed.headers['set-cookie'])

    expect((await client(app, 'delete', `/auth/sessions/${completed.body.session.id}`, sessionCookieOf(confirmed.headers['set-cookie']))).status).toBe(204)
    app.clock.advance(60_000)
    const changed = await client(app, 'post', '/auth/password', sessionCookieOf(confirmed.headers['set-cookie'])).send({ currentPassword: password, newPassword })
    expect(changed.status).toBe(204)

    await client(app, 'post', '/auth/magic-link').send({ email })
    await app.gate.delivery.drain()
    const magic = linkIn(app.mailer.last(email)!.text)
    secrets.push(magic.searchParams.get('token')!)
    const magicLogin = await client(app, 'post', pathOf(magic)).set('Accept', 'application/json').send({})
    expect(magicLogin.status).toBe(200)
    expect((await client(app, 'delete', '/auth/session', sessionCookieOf(magicLogin.headers['set-cookie']))).status).toBe(204)
    expect(second).toBeDefined()

    const types = app.events.map((event) => event.type)
    for (const type of [
      'signup',
      'login_succeeded',
      'login_failed',
      'token_created',
      'token_revoked',
      'email_verified',
      'factor_added',
      'factor_used',
      'session_revoked',
      'password_changed',
      'magic_link_sent',
      'magic_link_used',
      'logout',
    ] as const) {
      expect(types, type).toContain(type)
    }

    const first = app.events[0]!
    expect(first).toMatchObject({ type: 'signup', userId, ip, userAgent, workspaceId: null, at: expect.any(Number) })
    const failures = app.events.filter((event) => event.type === 'login_failed')
    expect(failures.map((event) => event.type === 'login_failed' && [event.reason, event.email, event.userId])).toEqual([
      ['INVALID_CREDENTIALS', email, userId],
      ['INVALID_CREDENTIALS', 'nobody@example.com', null],
      ['INVALID_CODE', email, userId],
    ])
    const used = app.events.find((event) => event.type === 'factor_used')
    expect(used).toMatchObject({ factor: 'recovery_code', userId, sessionId: completed.body.session.id })
    const loginEvent = app.events.find((event) => event.type === 'login_succeeded' && event.pendingSecondFactor)
    expect(loginEvent).toMatchObject({ method: 'password', userId, ip, userAgent })
    const changedEvent = app.events.find((event) => event.type === 'password_changed')!
    expect(changedEvent.at).toBe(app.clock.now())
    for (const event of app.events) {
      expect(event.ip).toBe(ip)
      if (event.type !== 'login_failed' || event.email === email) expect(event.userId).toBe(userId)
    }

    const serialized = JSON.stringify([app.events, await app.gate.audit.list({ limit: 1000 })])
    for (const secret of secrets) expect(serialized).not.toContain(secret)
    expect(serialized).not.toContain('ghs_')
  })

  it('a throwing or rejecting onEvent never fails the request, and is said once at warn', async () => {
    for (const onEvent of [
      () => {
        throw new Error(`boom ${password}`)
      },
      () => Promise.reject(new Error('later boom')),
    ]) {
      const warnings: string[] = []
      const app = createDeliveryTestApp(framework, { onEvent, logger: { error: () => {}, warn: (message) => warnings.push(message) } })
      const signup = await client(app, 'post', '/auth/signup').send({ email, password })
      expect(signup.status).toBe(201)
      expect((await client(app, 'post', '/auth/session').send({ email, password })).status).toBe(200)
      expect((await client(app, 'post', '/auth/session').send({ email, password: 'wrong password!' })).status).toBe(401)
      await new Promise((resolve) => setImmediate(resolve))
      const said = warnings.filter((message) => message.includes('onEvent'))
      expect(said).toHaveLength(1)
      expect(said[0]).not.toContain(password)
    }
  })

  it('a failing audit store never fails the request', async () => {
    const warnings: string[] = []
    const store = memoryAuditStore()
    store.append = () => Promise.reject(new Error('disk full'))
    const app = createDeliveryTestApp(framework, { audit: { store }, logger: { error: () => {}, warn: (message) => warnings.push(message) } })
    expect((await client(app, 'post', '/auth/signup').send({ email, password })).status).toBe(201)
    expect(warnings.filter((message) => message.includes('audit store'))).toHaveLength(1)
  })

  it('auditList shows a user their own recent events, newest first; gate.audit.list filters', async () => {
    const app = createAuditApp(framework)
    const jane = await client(app, 'post', '/auth/signup').send({ email, password })
    const janeCookie = sessionCookieOf(jane.headers['set-cookie'])
    const other = await client(app, 'post', '/auth/signup').send({ email: 'other@example.com', password })
    app.clock.advance(1000)
    const since = app.clock.now()
    await client(app, 'post', '/auth/session').send({ email, password: 'wrong password!' })

    const res = await client(app, 'get', '/auth/security-events', janeCookie)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toContain('no-store')
    expect(res.body.map((event: { type: string }) => event.type)).toEqual(['login_failed', 'login_succeeded', 'signup'])
    expect(res.body[0]).toMatchObject({ userId: jane.body.user.id, ip, userAgent, reason: 'INVALID_CREDENTIALS', at: new Date(since).toISOString() })
    expect(res.body.every((event: { userId: string }) => event.userId === jane.body.user.id)).toBe(true)

    const limited = await client(app, 'get', '/auth/security-events?limit=1', janeCookie)
    expect(limited.body).toHaveLength(1)
    const recent = await client(app, 'get', `/auth/security-events?since=${encodeURIComponent(new Date(since).toISOString())}`, janeCookie)
    expect(recent.body.map((event: { type: string }) => event.type)).toEqual(['login_failed'])
    expect((await client(app, 'get', '/auth/security-events?limit=zero', janeCookie)).status).toBe(400)
    expect((await client(app, 'get', '/auth/security-events')).status).toBe(401)

    expect((await app.gate.audit.list({ userId: other.body.user.id })).map((event) => event.type)).toEqual(['login_succeeded', 'signup'])
    expect(await app.gate.audit.list({ since, limit: 10 })).toHaveLength(1)

    // Unregistering removes the user's events.
    expect((await client(app, 'post', '/auth/unregister', janeCookie).send({ password })).status).toBe(204)
    expect(await app.gate.audit.list({ userId: jane.body.user.id })).toEqual([])
  })

  it('auditList is 404 FEATURE_DISABLED without audit.store', async () => {
    const app = createAuditApp(framework, false)
    const signup = await client(app, 'post', '/auth/signup').send({ email, password })
    const res = await client(app, 'get', '/auth/security-events', sessionCookieOf(signup.headers['set-cookie']))
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('FEATURE_DISABLED')
    expect(app.events.map((event) => event.type)).toEqual(['signup', 'login_succeeded'])
  })
})
