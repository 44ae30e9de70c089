import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse } from '../../src/index.js'
import { createTestApp, fastHashing, frameworks, sessionCookieOf } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'

describe.each(frameworks)('%s: sign-up, sessions and guarded routes', (framework) => {
  async function signUp(app = createTestApp(framework)) {
    const res = await request(app.handler).post('/auth/signup').send({ email: ' Jane@Example.com ', password, name: 'Jane' })
    expect(res.status).toBe(201)
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']), res }
  }

  it('signs up with a session cookie that opens the guarded host route', async () => {
    const { app, cookie, res } = await signUp()
    expect(res.body.user).toMatchObject({ email, name: 'Jane', emailVerified: false })
    expect(JSON.stringify(res.body)).not.toContain(password)
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    expect(setCookie).toMatch(/Path=\//)
    expect(setCookie).not.toMatch(/Secure/)

    const anonymous = await request(app.handler).get('/api/projects')
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED')

    const withCookie = await request(app.handler).get('/api/projects').set('Cookie', cookie)
    expect(withCookie.status).toBe(200)
    expect(withCookie.body.owner).toBe(email)
  })

  it('logs in for a bearer token with ?cookie=false, and with Basic', async () => {
    const { app } = await signUp()
    const login = await request(app.handler).post('/auth/session?cookie=false').send({ email, password })
    expect(login.status).toBe(200)
    expect(login.headers['set-cookie']).toBeUndefined()
    expect(login.body.token).toMatch(/^ghs_[A-Za-z0-9_-]{43}$/)
    const bearer = await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${login.body.token}`)
    expect(bearer.status).toBe(200)

    const basic = await request(app.handler).post('/auth/session').auth(email, password)
    expect(basic.status).toBe(200)
    expect(sessionCookieOf(basic.headers['set-cookie'])).toMatch(/^gatehouse_session=ghs_/)
    const basicGuard = await request(app.handler).get('/api/projects').auth(email, password)
    expect(basicGuard.status).toBe(200)
  })

  it('logout revokes the session; the old cookie and bearer stop working', async () => {
    const { app, cookie } = await signUp()
    const logout = await request(app.handler).delete('/auth/session').set('Cookie', cookie).set('Origin', 'http://app.test')
    expect(logout.status).toBe(204)
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0/)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
    const token = cookie.split('=')[1]
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${token}`)).status).toBe(401)
  })

  it('logout answers 204 without credentials, unless logoutRequiresCredentials: then 401, and an API token logs out without ending', async () => {
    expect((await request(createTestApp(framework).handler).delete('/auth/session')).status).toBe(204)
    const { app, cookie } = await signUp(createTestApp(framework, { sessions: { logoutRequiresCredentials: true } }))
    const anonymous = await request(app.handler).delete('/auth/session')
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED')
    const forged = await request(app.handler).delete('/auth/session').set('Authorization', 'Bearer ghs_not-a-real-session-token')
    expect(forged.status).toBe(401)
    expect(forged.body.error.code).toBe('INVALID_TOKEN')
    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', 'http://app.test').send({ name: 'ci' })
    const bearer = `Bearer ${created.body.token as string}`
    expect((await request(app.handler).delete('/auth/session').set('Authorization', bearer)).status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    const logout = await request(app.handler).delete('/auth/session').set('Cookie', cookie).set('Origin', 'http://app.test')
    expect(logout.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
    expect((await request(app.handler).delete('/auth/session').set('Cookie', cookie).set('Origin', 'http://app.test')).status).toBe(401)
    // An API token beside the cookie: the cookie's session ends, the token keeps working.
    const again = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    expect((await request(app.handler).delete('/auth/session').set('Authorization', bearer).set('Cookie', again).set('Origin', 'http://app.test')).status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Cookie', again)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
  })

  it('logs in by a user name the host resolves (passwords.resolveLoginName), in JSON and Basic; e-mails still work', async () => {
    const names = new Map([['jane', email], ['broken', 42 as unknown as string]])
    const resolveLoginName = async (name: string) => names.get(name) ?? null
    const { app } = await signUp(createTestApp(framework, { passwords: { ...fastHashing, resolveLoginName }, rateLimits: { loginPerAccount: { max: 3, windowSeconds: 900 } } }))
    const byName = await request(app.handler).post('/auth/session').send({ email: ' jane ', password })
    expect(byName.status).toBe(200)
    expect(byName.body.user.email).toBe(email)
    expect((await request(app.handler).post('/auth/session').auth('jane', password)).status).toBe(200)
    expect((await request(app.handler).post('/auth/session').send({ email: 'JANE@example.com', password })).status).toBe(200)
    for (const name of ['nobody', 'broken']) {
      const unknown = await request(app.handler).post('/auth/session').send({ email: name, password })
      expect(unknown.status, name).toBe(401)
      expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS')
    }
    expect((await request(app.handler).post('/auth/session').send({ email: '', password })).status).toBe(400)
    // The name and the e-mail are one account to the rate limit.
    for (const name of ['jane', email, 'jane']) expect((await request(app.handler).post('/auth/session').send({ email: name, password: 'wrong password' })).status).toBe(401)
    expect((await request(app.handler).post('/auth/session').send({ email: 'jane', password })).status).toBe(429)
  })

  it('without resolveLoginName, a login name that is not an e-mail is a 400', async () => {
    const { app } = await signUp()
    const res = await request(app.handler).post('/auth/session').send({ email: 'jane', password })
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([{ path: 'email', message: 'must be an e-mail address' }])
    expect(() => createGatehouse({ baseUrl: 'http://app.test', passwords: { resolveLoginName: 'users.username' as never } })).toThrow(ConfigError)
  })

  it('rejects expired, revoked and tampered tokens with 401', async () => {
    const { app, cookie } = await signUp()
    const tampered = `${cookie.slice(0, -2)}${cookie.endsWith('A') ? 'BB' : 'AA'}`
    const bad = await request(app.handler).get('/api/projects').set('Cookie', tampered)
    expect(bad.status).toBe(401)
    expect(bad.body.error.code).toBe('INVALID_TOKEN')
    const garbage = await request(app.handler).get('/api/projects').set('Authorization', 'Bearer not-a-token')
    expect(garbage.status).toBe(401)

    app.clock.advance(8 * 24 * 3600 * 1000) // past the 7-day idle timeout
    const expired = await request(app.handler).get('/api/projects').set('Cookie', cookie)
    expect(expired.status).toBe(401)
    expect(expired.body.error.code).toBe('SESSION_EXPIRED')

    const again = await request(app.handler).post('/auth/session').send({ email, password })
    const fresh = sessionCookieOf(again.headers['set-cookie'])
    const list = await request(app.handler).get('/auth/sessions').set('Cookie', fresh)
    expect(list.status).toBe(200)
    expect(list.body).toHaveLength(1)
    expect(list.body[0].current).toBe(true)
    const revoke = await request(app.handler).delete(`/auth/sessions/${list.body[0].id}`).set('Cookie', fresh)
    expect(revoke.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Cookie', fresh)).status).toBe(401)
  })

  it('slides the idle timeout but keeps the absolute one', async () => {
    const app = createTestApp(framework, { sessions: { idleTimeoutSeconds: 3600, absoluteTimeoutSeconds: 4 * 3600 } })
    const { cookie } = await signUp(app)
    for (let hour = 0; hour < 3; hour++) {
      app.clock.advance(50 * 60 * 1000)
      expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    }
    app.clock.advance(75 * 60 * 1000) // 4h05 after sign-up, last use 75 min ago
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
  })

  it('refuses a cookie POST from another origin with 403, but not a bearer one', async () => {
    const { app, cookie } = await signUp()
    const forged = await request(app.handler).post('/api/projects').set('Cookie', cookie).set('Origin', 'https://evil.test').send({ name: 'x' })
    expect(forged.status).toBe(403)
    expect(forged.body.error.code).toBe('CSRF_REJECTED')
    const fetchSite = await request(app.handler).post('/api/projects').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site').send({})
    expect(fetchSite.status).toBe(403)
    const routeForged = await request(app.handler).post('/auth/password').set('Cookie', cookie).set('Origin', 'https://evil.test')
      .send({ currentPassword: password, newPassword: 'another long password' })
    expect(routeForged.status).toBe(403)
    const sameOrigin = await request(app.handler).post('/api/projects').set('Cookie', cookie).set('Origin', 'http://app.test').send({ name: 'x' })
    expect(sameOrigin.status).toBe(201)
    const crossLogin = await request(app.handler).post('/auth/session').set('Origin', 'https://evil.test').send({ email, password })
    expect(crossLogin.status).toBe(403)
    const token = cookie.split('=')[1]
    const bearer = await request(app.handler).post('/api/projects').set('Authorization', `Bearer ${token}`).set('Origin', 'https://evil.test').send({})
    expect(bearer.status).toBe(201)
  })

  it.each([
    ['same-origin', 201],
    ['same-site', 403],
    ['cross-site', 403],
    ['none', 403],
    [undefined, 403],
  ] as const)('decides a cookie POST with Origin: null by Sec-Fetch-Site %s', async (site, status) => {
    const { app, cookie } = await signUp()
    const post = request(app.handler).post('/api/projects').set('Cookie', cookie).set('Origin', 'null')
    if (site !== undefined) post.set('Sec-Fetch-Site', site)
    const res = await post.send({ name: 'x' })
    expect(res.status).toBe(status)
    if (status === 403) expect(res.body.error.code).toBe('CSRF_REJECTED')
  })

  it('answers 429 with Retry-After after five wrong passwords, and the same error for unknown e-mails', async () => {
    const { app } = await signUp()
    const unknown = await request(app.handler).post('/auth/session').send({ email: 'nobody@example.com', password: 'wrong password' })
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await request(app.handler).post('/auth/session').send({ email, password: 'wrong password' })
      expect(wrong.status).toBe(401)
      expect(wrong.body).toEqual(unknown.body)
    }
    const sixth = await request(app.handler).post('/auth/session').send({ email, password })
    expect(sixth.status).toBe(429)
    expect(sixth.body.error.code).toBe('RATE_LIMITED')
    expect(sixth.body.error).not.toHaveProperty('details')
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0)
    app.clock.advance(16 * 60 * 1000)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(200)
  })

  it('rotates the session on login: a planted session token does not survive', async () => {
    const { app, cookie } = await signUp()
    const login = await request(app.handler).post('/auth/session').set('Cookie', cookie).send({ email, password })
    const fresh = sessionCookieOf(login.headers['set-cookie'])
    expect(fresh).not.toBe(cookie)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Cookie', fresh)).status).toBe(200)
  })

  it('reports the current auth, reads and updates the profile', async () => {
    const { app, cookie } = await signUp()
    const current = await request(app.handler).get('/auth/session').set('Cookie', cookie)
    expect(current.status).toBe(200)
    expect(current.body).toMatchObject({ user: { email }, method: 'cookie', secondFactors: [] })
    expect(current.body.session.id).toEqual(expect.any(String))
    const update = await request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ name: 'Jane Doe' })
    expect(update.status).toBe(200)
    expect(update.body.user.name).toBe('Jane Doe')
    const moveWithoutPassword = await request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ email: 'j2@example.com' })
    // 400, not 401: a 401 would sign an SPA out for a missing form field.
    expect(moveWithoutPassword.status).toBe(400)
    expect(moveWithoutPassword.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'currentPassword' }] })
    const changeWithoutPassword = await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ newPassword: 'a new long password' })
    expect(changeWithoutPassword.status).toBe(400)
    const unregisterWithoutPassword = await request(app.handler).post('/auth/unregister').set('Cookie', cookie).send({})
    expect(unregisterWithoutPassword.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'password' }] })
    expect((await request(app.handler).get('/auth/profile').set('Cookie', cookie)).status).toBe(200)
    const moved = await request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ email: 'J2@example.com', currentPassword: password })
    expect(moved.body.user.email).toBe('j2@example.com')
    const profile = await request(app.handler).get('/auth/profile').set('Cookie', cookie)
    expect(profile.body.user).toMatchObject({ email: 'j2@example.com', name: 'Jane Doe' })
    const options = await request(app.handler).get('/auth/login-options')
    expect(options.body).toMatchObject({ password: true, passwordPolicy: { minLength: 8, maxLength: 128 } })
  })

  it('changes the password and ends the other sessions', async () => {
    const { app, cookie } = await signUp()
    const other = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    const weak = await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: password, newPassword: 'short' })
    expect(weak.status).toBe(400)
    expect(weak.body.error.code).toBe('WEAK_PASSWORD')
    expect(weak.body.error.details).toEqual([{ path: 'newPassword', message: 'must be at least 8 characters' }])
    const wrong = await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: 'nope nope', newPassword: 'a new long password' })
    expect(wrong.status).toBe(401)
    const changed = await request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: password, newPassword: 'a new long password' })
    expect(changed.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Cookie', other)).status).toBe(401)
    expect((await request(app.handler).post('/auth/session').send({ email, password: 'a new long password' })).status).toBe(200)
  })

  it('unregisters: the user, sessions and login are gone', async () => {
    const { app, cookie } = await signUp()
    const user = await app.gate.storage.users.getByEmail(email)
    expect((await request(app.handler).post('/auth/unregister').set('Cookie', cookie).send({ password: 'wrong one' })).status).toBe(401)
    expect((await request(app.handler).post('/auth/unregister').set('Cookie', cookie).send({ password })).status).toBe(204)
    expect(await app.gate.storage.users.getByEmail(email)).toBeNull()
    expect(await app.gate.storage.sessions.listByUser(user!.id)).toEqual([])
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(401)
  })

  it('answers 409 for a taken e-mail and 400 for a weak password or the e-mail as password', async () => {
    const { app } = await signUp()
    const taken = await request(app.handler).post('/auth/signup').send({ email, password })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('CONFLICT')
    const same = await request(app.handler).post('/auth/signup').send({ email: 'sam@example.com', password: 'SAM@example.com' })
    expect(same.status).toBe(400)
    expect(same.body.error.code).toBe('WEAK_PASSWORD')
    expect(same.body.error.details).toEqual([{ path: 'password', message: 'must not be your e-mail address' }])
  })
})
