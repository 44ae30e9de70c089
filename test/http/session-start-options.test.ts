import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { type Framework, createTestApp, frameworks } from '../support/example-apps.js'

const password = 'long enough password'
const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` })

function sessionCookieLine(res: { headers: Record<string, unknown> }): string | undefined {
  const all = res.headers['set-cookie']
  const lines = Array.isArray(all) ? (all as string[]) : []
  return lines.find((line) => line.startsWith('gatehouse_session=') && !line.startsWith('gatehouse_session=;'))
}

async function withUser(framework: Framework, overrides: Parameters<typeof createTestApp>[1] = {}) {
  const app = createTestApp(framework, overrides)
  const user = await app.gate.users.signUp({ email: 'ada@example.com', password })
  return { ...app, user }
}

describe.each(frameworks)('%s: ?cookie=session, a cookie that ends with the browser', (framework) => {
  it('login sets the cookie without Max-Age or Expires; by default it has the session lifetime', async () => {
    const app = await withUser(framework, { sessions: { absoluteTimeoutSeconds: 86400, idleTimeoutSeconds: 86400 } })
    const browserSession = await request(app.handler).post('/auth/session?cookie=session').send({ email: 'ada@example.com', password })
    expect(browserSession.status).toBe(200)
    const line = sessionCookieLine(browserSession)!
    expect(line).toMatch(/HttpOnly/i)
    expect(line).not.toMatch(/Max-Age|Expires/i)
    // The session it carries is a normal one, and still ends at its timeout.
    const cookie = line.split(';', 1)[0]!
    expect((await request(app.handler).get('/auth/session').set('Cookie', cookie)).status).toBe(200)
    app.clock.advance(86400 * 1000 + 1)
    expect((await request(app.handler).get('/auth/session').set('Cookie', cookie)).status).toBe(401)

    const persistent = await request(app.handler).post('/auth/session').send({ email: 'ada@example.com', password })
    expect(sessionCookieLine(persistent)).toMatch(/Max-Age=86400/)
    const explicit = await request(app.handler).post('/auth/session?cookie=true').send({ email: 'ada@example.com', password })
    expect(sessionCookieLine(explicit)).toMatch(/Max-Age=86400/)
    expect(explicit.body.token).toBeUndefined()
  })

  it('holds for every route that starts a session, signup included', async () => {
    const app = createTestApp(framework)
    const res = await request(app.handler).post('/auth/signup?cookie=session').send({ email: 'bob@example.com', password })
    expect(res.status).toBe(201)
    expect(sessionCookieLine(res)).not.toMatch(/Max-Age|Expires/i)
  })
})

describe.each(frameworks)('%s: signupStartsSession: false', (framework) => {
  it('answers 201 { user } without a session or cookie; the user then logs in', async () => {
    const app = createTestApp(framework, { signupStartsSession: false })
    const res = await request(app.handler).post('/auth/signup').send({ email: 'bob@example.com', password })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['user'])
    expect(res.body.user.email).toBe('bob@example.com')
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(await app.gate.sessions.list({ userId: res.body.user.id })).toEqual([])
    expect((await request(app.handler).post('/auth/session').send({ email: 'bob@example.com', password })).status).toBe(200)
  })

  it('sends a browser form to its success page without a session', async () => {
    const app = createTestApp(framework, { signupStartsSession: false, forms: { successRedirect: '/welcome', failureRedirect: '/signup' } })
    const res = await request(app.handler).post('/auth/signup').type('form').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').set('Origin', 'http://app.test').send({ email: 'bob@example.com', password })
    expect(res.status, res.text).toBe(303)
    expect(res.headers.location).toBe('http://app.test/welcome')
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(await app.gate.storage.users.getByEmail('bob@example.com')).not.toBeNull()
  })
})

describe.each(frameworks)('%s: tokens.basicLogin', (framework) => {
  it('starts a session from <api token>:api_token Basic credentials of a token holding the manage scope', async () => {
    const app = await withUser(framework, { tokens: { basicLogin: true, scopes: ['read'] } })
    const full = await app.gate.tokens.create({ userId: app.user.id, scopes: ['tokens:write'] })
    const res = await request(app.handler).post('/auth/session').set(basic(full.token, 'api_token'))
    expect(res.status, res.text).toBe(200)
    expect(res.body.user.id).toBe(app.user.id)
    const me = await request(app.handler).get('/auth/session').set('Cookie', sessionCookieLine(res)!.split(';', 1)[0]!)
    expect(me.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['api_token'])

    // A narrower token would widen into a session's every scope.
    const narrow = await app.gate.tokens.create({ userId: app.user.id, scopes: ['read'] })
    const refused = await request(app.handler).post('/auth/session').set(basic(narrow.token, 'api_token'))
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('SCOPE_MISSING')
    expect(sessionCookieLine(refused)).toBeUndefined()
    const unknown = await request(app.handler).post('/auth/session').set(basic('ghp_unknown', 'api_token'))
    expect(unknown.status).toBe(401)
    await app.gate.tokens.revoke({ userId: app.user.id, tokenId: full.id })
    expect((await request(app.handler).post('/auth/session').set(basic(full.token, 'api_token'))).status).toBe(401)
    // email:password Basic still works.
    expect((await request(app.handler).post('/auth/session').set(basic('ada@example.com', password))).status).toBe(200)
  })

  it('is off by default: the token is no e-mail address', async () => {
    const app = await withUser(framework, { tokens: { defaultScopes: ['tokens:write'] } })
    const token = await app.gate.tokens.create({ userId: app.user.id })
    const res = await request(app.handler).post('/auth/session').set(basic(token.token, 'api_token'))
    expect(res.status).toBe(400)
    expect(sessionCookieLine(res)).toBeUndefined()
  })
})
