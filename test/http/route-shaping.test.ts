import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, type GatehouseOptions, type Logger } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing, frameworks } from '../support/example-apps.js'
import { HOST_NOT_FOUND, type HostOptions, mountHost } from '../support/mount-host.js'

const baseUrl = 'http://app.test'
const password = 'long enough pw'

function mount(framework: Framework, options: Partial<GatehouseOptions>, host: HostOptions = {}) {
  const gate = createGatehouse({ baseUrl, clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} }, mountPath: '/api', ...options })
  return { gate, app: mountHost(framework, gate, host) }
}

/** A user signed up through an unshaped gate on the same storage; answers its id and a session token. */
async function userOf(gate: ReturnType<typeof mount>['gate'], email = 'a@example.com') {
  const app = mountHost('express', createGatehouse({ baseUrl, storage: gate.storage, clock: gate.config.clock, passwords: fastHashing }))
  const signup = await request(app).post('/auth/signup?cookie=false').send({ email, password })
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`)
  const login = await request(app).post('/auth/session?cookie=false').send({ email, password })
  return { id: signup.body.user.id as string, token: login.body.token as string }
}

describe.each(frameworks)('%s: methods, aliases and constant parameters', (framework) => {
  it('moves logout to POST, mounts login at two paths and fixes the audience of a second federatedToken mount', async () => {
    const { app, gate } = mount(framework, {
      paths: {
        logout: 'POST /auth/logout',
        login: ['/auth/login', '/me/sessions'],
        federatedToken: [{ path: '/canny-sso', params: { audience: 'canny' } }, '/federation/:audience'],
      },
      federation: { audiences: { canny: { algorithm: 'HS256', secret: 'c'.repeat(32) }, docs: { algorithm: 'HS256', secret: 'd'.repeat(32) } } },
    })
    expect(gate.routes.filter((route) => route.name === 'login').map((route) => `${route.method} ${route.path}`)).toEqual(['POST /auth/login', 'POST /me/sessions'])
    expect(gate.urls.of('login').pathname).toBe('/api/auth/login')
    const { token } = await userOf(gate)
    for (const path of ['/api/auth/login', '/api/me/sessions']) {
      expect((await request(app).post(path).send({ email: 'a@example.com', password })).status).toBe(200)
    }
    const canny = await request(app).get('/api/canny-sso').set('authorization', `Bearer ${token}`)
    expect(canny.status).toBe(200)
    expect(JSON.parse(Buffer.from(canny.body.token.split('.')[1], 'base64url').toString()).aud).toBe('canny')
    // The constant wins over anything the request could add.
    const docs = await request(app).get('/api/federation/docs').set('authorization', `Bearer ${token}`)
    expect(JSON.parse(Buffer.from(docs.body.token.split('.')[1], 'base64url').toString()).aud).toBe('docs')
    expect((await request(app).delete('/api/session').set('authorization', `Bearer ${token}`)).text).toBe(HOST_NOT_FOUND)
    expect((await request(app).post('/api/auth/logout').set('authorization', `Bearer ${token}`)).status).toBe(204)
    expect((await request(app).get('/api/session').set('authorization', `Bearer ${token}`)).status).toBe(401)
  })

  it('keeps CSRF on a moved route: a cross-site POST to the moved logout is refused', async () => {
    const { app } = mount(framework, { paths: { logout: 'POST /auth/logout' } })
    const res = await request(app).post('/api/auth/logout').set('origin', 'http://evil.example')
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('CSRF_REJECTED')
  })
})

describe.each(frameworks)('%s: success and failure reshaping', (framework) => {
  it('answers 204 without a body, 200 instead of 201, a bare JSON string and a body on logout', async () => {
    const { app, gate } = mount(framework, {
      tokens: { scopes: ['read'] },
      shape: {
        login: { success: { status: 204 } },
        apiTokenCreate: { success: { status: (status) => (status === 201 ? 200 : status) } },
        apiTokenReset: { success: { body: (body) => (body as { token: string }).token } },
        logout: { success: { status: 200, body: () => ({ loggedOut: true }) } },
        unregister: { success: { status: 200, body: 'empty' } },
      },
    })
    const { token } = await userOf(gate)
    const login = await request(app).post('/api/session').send({ email: 'a@example.com', password })
    expect(login.status).toBe(204)
    expect(login.text).toBe('')
    expect(String(login.headers['set-cookie'])).toMatch(/gatehouse_session=ghs_/)
    const bearer = { authorization: `Bearer ${token}` }
    expect((await request(app).post('/api/tokens').set(bearer).send({ name: 'ci' })).status).toBe(200)
    const reset = await request(app).post('/api/tokens/reset').set(bearer)
    expect(reset.status).toBe(200)
    expect(reset.headers['content-type']).toMatch(/^application\/json/)
    expect(reset.text).toMatch(/^"ghp_[A-Za-z0-9_-]+"$/)
    expect(reset.body).toMatch(/^ghp_/)
    const list = await request(app).get('/api/tokens').set(bearer)
    expect(Array.isArray(list.body)).toBe(true)
    const unregister = await request(app).post('/api/unregister').set(bearer).send({ password })
    expect(unregister.status).toBe(200)
    expect(unregister.text).toBe('')
  })

  it('reshapes failures per code and body, mount-wide and per route, validation failures included', async () => {
    const { app, gate } = mount(framework, {
      responses: { errors: { status: { INVALID_CREDENTIALS: 403 }, body: (error) => ({ message: error.message, errorType: error.code }) } },
      shape: { signup: { errors: { status: { INVALID_REQUEST: 422 }, body: (error) => ({ code: 'validation', propertyErrors: error.details }) } } },
    })
    await userOf(gate)
    const wrong = await request(app).post('/api/session').send({ email: 'a@example.com', password: 'wrong password' })
    expect(wrong.status).toBe(403)
    expect(wrong.body).toEqual({ message: expect.any(String), errorType: 'INVALID_CREDENTIALS' })
    const invalid = await request(app).post('/api/session').send({ email: 'not an address' })
    expect(invalid.status).toBe(400)
    expect(invalid.body.errorType).toBe('INVALID_REQUEST')
    const unauthenticated = await request(app).get('/api/session')
    expect(unauthenticated.status).toBe(401)
    expect(unauthenticated.body).toEqual({ message: expect.any(String), errorType: 'UNAUTHENTICATED' })
    const signup = await request(app).post('/api/signup').send({ email: 'b@example.com' })
    expect(signup.status).toBe(422)
    expect(signup.body).toEqual({ code: 'validation', propertyErrors: [expect.objectContaining({ path: 'password' })] })
  })

  it('wraps every 2xx body of the mount in an envelope, and not an empty answer', async () => {
    const { app, gate } = mount(framework, {
      responses: {
        envelope: (result, { status }) => ({ status: 'success', code: status, result }),
        errors: { body: (error) => ({ status: 'error', code: error.status, message: error.message }) },
      },
    })
    const { token } = await userOf(gate)
    const profile = await request(app).get('/api/profile').set('authorization', `Bearer ${token}`)
    expect(profile.body).toEqual({ status: 'success', code: 200, result: { user: expect.objectContaining({ email: 'a@example.com' }) } })
    const failed = await request(app).get('/api/profile')
    expect(failed.body).toEqual({ status: 'error', code: 401, message: expect.any(String) })
    const logout = await request(app).delete('/api/session').set('authorization', `Bearer ${token}`)
    expect(logout.status).toBe(204)
    expect(logout.text).toBe('')
  })

  it('a shaping function that throws answers a 500 error body, not a crash', async () => {
    const { app } = mount(framework, { shape: { loginOptions: { success: { body: () => { throw new Error('boom') } } } } })
    const res = await request(app).get('/api/login-options')
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('INTERNAL_ERROR')
  })
})

describe.each(frameworks)('%s: input mapping', (framework) => {
  it('reads login fields under other names, from the query, a header, a form and a text/plain body', async () => {
    const { app, gate } = mount(framework, {
      shape: {
        login: { input: { body: { email: 'body:auth' } } },
        signup: { input: { body: { email: 'body:EmailAddress', password: 'header:confirmationPassword' } } },
        passwordChange: { input: { body: { currentPassword: 'query:current', newPassword: 'text' } } },
      },
    })
    const signup = await request(app).post('/api/signup').type('form').set('confirmationPassword', password).send({ EmailAddress: 'a@example.com' })
    expect(signup.status).toBe(201)
    const login = await request(app).post('/api/session?cookie=false').send({ auth: 'a@example.com', password })
    expect(login.status).toBe(200)
    const change = await request(app)
      .post(`/api/password?current=${encodeURIComponent(password)}`)
      .set('authorization', `Bearer ${login.body.token}`)
      .set('content-type', 'text/plain')
      .send('a new long password')
    expect(change.status).toBe(204)
    expect((await request(app).post('/api/session').send({ auth: 'a@example.com', password: 'a new long password' })).status).toBe(200)
  })

  it("keeps gatehouse's validation and codes: a missing mapped field is a 400 naming the field as the client sends it, never a 500", async () => {
    const logged: string[] = []
    const logger: Logger = { error: (message) => logged.push(message), warn: (message) => logged.push(message) }
    const { app } = mount(framework, {
      logger,
      shape: {
        login: { input: { body: { email: 'body:auth' } } },
        magicLinkVerify: { input: { query: { token: 'query:payload' } } },
        passwordChange: { input: { body: { newPassword: 'text' } } },
      },
    })
    const missing = await request(app).post('/api/session').send({ password })
    const notAnAddress = await request(app).post('/api/session').send({ auth: 'admin', password })
    expect(notAnAddress.body.error.details).toEqual([{ path: 'auth', message: 'must be an e-mail address' }])
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [expect.objectContaining({ path: 'auth' })] })
    const wrongType = await request(app).post('/api/session').send({ auth: { not: 'a string' }, password: 7 })
    expect(wrongType.status).toBe(400)
    // Mapped fields are named as sent; the others keep their own names.
    expect(wrongType.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['auth', 'password'])
    // text/plain stays refused on a route that does not map it.
    expect((await request(app).post('/api/session').set('content-type', 'text/plain').send('x')).status).toBe(415)
    const secret = 'ghm_secretvalueinthequerystring1234567890'
    const verify = await request(app).get(`/api/magic-link/verify?payload=${secret}`).set('accept', 'application/json')
    expect(verify.status).toBeGreaterThanOrEqual(400)
    expect(verify.status).toBeLessThan(500)
    expect(logged.join('\n')).not.toContain(secret)
  })

  it('keeps the rate limits of the route it shapes', async () => {
    const { app, gate } = mount(framework, { rateLimits: { loginPerAccount: { max: 2, windowSeconds: 900 } }, shape: { login: { input: { body: { email: 'body:auth' } } } } })
    await userOf(gate)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await request(app).post('/api/session').send({ auth: 'a@example.com', password: 'wrong password' })).status)
    expect(statuses).toEqual([401, 401, 429])
  })
})

describe.each(frameworks)('%s: credential transports', (framework) => {
  it('takes a session token from a Session-Token header', async () => {
    const { app, gate } = mount(framework, { authenticate: { sessionTokenHeader: 'Session-Token' } })
    const { token } = await userOf(gate)
    const current = await request(app).get('/api/session').set('Session-Token', token)
    expect(current.status).toBe(200)
    expect(current.body.method).toBe('session_header')
    expect((await request(app).get('/api/session').set('Session-Token', 'ghs_wrong')).status).toBe(401)
    // Not a cookie: a cross-site page cannot send it, so no CSRF refusal.
    expect((await request(app).delete('/api/session').set('Session-Token', token).set('origin', 'http://evil.example')).status).toBe(204)
    expect((await request(app).get('/api/session').set('Session-Token', token)).status).toBe(401)
  })

  it('takes an API key from api-key with the workspace from workspace-id, and an access client from a custom header', async () => {
    const { app, gate } = mount(
      framework,
      { tokens: { apiKeyHeader: 'api-key', accessClientHeader: 'X-Client-Token' }, authenticate: { workspaceHeader: 'workspace-id' } },
      { guarded: { '/host/whoami': {}, '/host/admin': { workspaceRole: 'admin' } } },
    )
    const { id } = await userOf(gate)
    const apiKey = await gate.tokens.create({ userId: id })
    const workspace = await gate.workspaces.create({ name: 'W', ownerId: id } as never)
    const res = await request(app).get('/host/whoami').set('api-key', apiKey.token).set('workspace-id', workspace.id)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ method: 'api_key', workspaceId: workspace.id, role: 'owner' })
    expect((await request(app).get('/host/whoami').set('api-key', apiKey.token).set('workspace-id', 'someone-elses')).status).toBe(404)
    // A guard's workspace role is checked in the workspace the header names.
    expect((await request(app).get('/host/admin').set('api-key', apiKey.token).set('workspace-id', workspace.id)).status).toBe(200)
    expect((await request(app).get('/host/admin').set('api-key', apiKey.token)).status).toBe(404)
    const client = await gate.tokens.activateAccessClient({ userId: id, name: 'pos' } as never)
    expect((await request(app).delete('/api/access-client').set('X-Client-Token', client.token)).status).toBe(204)
    expect((await request(app).get('/host/whoami').set('X-Client-Token', client.token)).status).toBe(401)
  })

  it('splits a session token between the body and a cookie; both halves are needed', async () => {
    const { app, gate } = mount(framework, {
      authenticate: { sessionTokenHeader: 'Session-Token', splitSessionCookie: 'Session-Token' },
      paths: { login: '/auth/session', logout: '/auth/session', currentAuth: '/auth' },
      shape: {
        login: {
          input: { query: { cookie: (req) => (req.query().get('cookie') === 'true' ? 'split' : 'false') } },
          success: { body: (body) => ({ user: (body as { user: unknown }).user, sessionToken: (body as { token: string }).token }) },
        },
      },
    })
    await userOf(gate)
    const basic = `Basic ${Buffer.from(`a@example.com:${password}`).toString('base64')}`
    const whole = await request(app).post('/api/auth/session').set('authorization', basic)
    expect(whole.status).toBe(200)
    expect(whole.headers['set-cookie']).toBeUndefined()
    expect((await request(app).get('/api/auth').set('Session-Token', whole.body.sessionToken)).status).toBe(200)

    const split = await request(app).post('/api/auth/session?cookie=true').set('authorization', basic)
    expect(split.status).toBe(200)
    const firstHalf = split.body.sessionToken as string
    const cookieLine = String(split.headers['set-cookie'])
    expect(cookieLine).toMatch(/^Session-Token=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/)
    const secondHalf = cookieLine.split(';', 1)[0]!.slice('Session-Token='.length)
    expect(firstHalf.startsWith('ghs_')).toBe(true)
    expect(Math.abs(firstHalf.length - secondHalf.length)).toBeLessThanOrEqual(1)
    expect((await request(app).get('/api/auth').set('Session-Token', firstHalf)).status).toBe(401)
    expect((await request(app).get('/api/auth').set('cookie', `Session-Token=${secondHalf}`)).status).toBe(401)
    const both = await request(app).get('/api/auth').set('Session-Token', firstHalf).set('cookie', `Session-Token=${secondHalf}`)
    expect(both.status).toBe(200)
    // A whole token in the header is taken as is, cookie or not.
    expect((await request(app).get('/api/auth').set('Session-Token', whole.body.sessionToken).set('cookie', `Session-Token=${secondHalf}`)).status).toBe(200)
    const logout = await request(app).delete('/api/auth/session').set('Session-Token', firstHalf).set('cookie', `Session-Token=${secondHalf}`)
    expect(logout.status).toBe(204)
    expect(String(logout.headers['set-cookie'])).toMatch(/Session-Token=; Max-Age=0/)
    expect((await request(app).get('/api/auth').set('Session-Token', firstHalf).set('cookie', `Session-Token=${secondHalf}`)).status).toBe(401)
  })
})

describe.each(frameworks)('%s: output names and fields', (framework) => {
  it('renames fields to snake_case with per-route renames, and filters them with a fields query', async () => {
    const { app, gate } = mount(framework, {
      responses: { output: { case: 'snake' } },
      shape: {
        profileGet: { output: { rename: { name: 'fullname' } } },
        currentAuth: { output: { case: 'camel', fieldsQuery: 'fields' } },
      },
    })
    const { token } = await userOf(gate)
    const bearer = { authorization: `Bearer ${token}` }
    const profile = await request(app).get('/api/profile').set(bearer)
    expect(Object.keys(profile.body.user).sort()).toEqual(['created_at', 'email', 'email_verified', 'fullname', 'id', 'updated_at'])
    const selected = await request(app).get('/api/session?fields=user.email,method').set(bearer)
    expect(selected.body).toEqual({ user: { email: 'a@example.com' }, method: 'bearer' })
    const repeated = await request(app).get('/api/session?fields=user.-createdAt&fields=user.-updatedAt&fields=-session').set(bearer)
    expect(Object.keys(repeated.body.user).sort()).toEqual(['email', 'emailVerified', 'id', 'name'])
    const dropped = await request(app).get('/api/session?fields=-session,-factors,-token,-secondFactors').set(bearer)
    expect(Object.keys(dropped.body).sort()).toEqual(['method', 'user'])
  })
})

describe.each(frameworks)('%s: server-to-server routes acting on a user named in the path', (framework) => {
  it('lets an admin-scoped token act on the user its external id names', async () => {
    const externalIds = new Map<string, string>()
    const mailer = createCaptureMailer()
    const { app, gate } = mount(framework, {
      delivery: { email: mailer },
      tokens: { scopes: ['admin'] },
      paths: { totpEnable: '/v1/users/:userId/totp', passwordResetRequest: '/v1/users/:userId/reset' },
      shape: {
        totpEnable: { actAs: { param: 'userId', scope: 'admin', resolveUser: (id) => externalIds.get(id) ?? null } },
        passwordResetRequest: {
          actAs: { param: 'userId', scope: 'admin', resolveUser: (id) => externalIds.get(id) ?? null },
          input: { body: { email: 'user:email' } },
          success: { status: 204 },
        },
      },
    })
    const admin = await userOf(gate, 'tenant@example.com')
    const target = await userOf(gate, 'user@example.com')
    externalIds.set('tenant-user-7', target.id)
    const adminToken = await gate.tokens.create({ userId: admin.id, scopes: ['admin'] })
    const plainToken = await gate.tokens.create({ userId: admin.id, scopes: [] })
    const enabled = await request(app).post('/api/v1/users/tenant-user-7/totp').set('authorization', `Bearer ${adminToken.token}`)
    expect(enabled.status).toBe(200)
    expect(enabled.body.otpauthUrl).toContain('user%40example.com')
    expect((await request(app).post('/api/v1/users/tenant-user-7/reset').set('authorization', `Bearer ${adminToken.token}`)).status).toBe(204)
    await gate.delivery.drain()
    expect(mailer.messages.map((message) => message.to)).toEqual(['user@example.com'])
    const unknown = await request(app).post('/api/v1/users/nobody/totp').set('authorization', `Bearer ${adminToken.token}`)
    expect(unknown.status).toBe(404)
    const noScope = await request(app).post('/api/v1/users/tenant-user-7/totp').set('authorization', `Bearer ${plainToken.token}`)
    expect(noScope.status).toBe(403)
    expect(noScope.body.error.code).toBe('SCOPE_MISSING')
    const session = await request(app).post('/api/v1/users/tenant-user-7/totp').set('authorization', `Bearer ${admin.token}`)
    expect(session.status).toBe(403)
    expect((await request(app).post('/api/v1/users/tenant-user-7/totp')).status).toBe(401)
  })
})

describe('shaping options are checked once', () => {
  it('lists every problem in one ConfigError', () => {
    let error: unknown
    try {
      createGatehouse({
        baseUrl,
        paths: { logout: 'FETCH /x', login: [], federatedToken: { path: '/f/:audience', params: { audience: 'canny' } } },
        shape: {
          login: { input: { body: { email: 'nowhere:auth' } }, success: { status: 99 } },
          signup: { errors: { status: { NOT_A_CODE: 400 } as never } },
          totpEnable: { actAs: { param: 'userId', scope: 'admin', resolveUser: () => null } },
          nope: {},
        } as never,
        responses: { envelope: 'wrap' } as never,
        authenticate: { splitSessionCookie: 'Session-Token' },
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const part of [
      "paths.logout: 'FETCH' is not one of",
      'paths.login: must list at least one path',
      "paths.federatedToken: 'audience' is both a constant and a path parameter",
      'shape.login.input.body.email',
      'shape.login.success.status',
      'shape.signup.errors.status.NOT_A_CODE',
      "shape.totpEnable.actAs: every path of totpEnable needs the ':userId' parameter",
      'shape.nope: is not a route',
      'responses.envelope: must be a function',
      'authenticate.splitSessionCookie: needs sessionTokenHeader',
    ]) {
      expect(problems).toContain(part)
    }
  })
})
