import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const baseUrl = 'http://app.test'
const password = 'long enough pw'

/**
 * A small contract mixing every shaping capability in one mount at /v2: an envelope and an error
 * body for every route, snake_case fields, moved methods, an alias, a constant-parameter mount,
 * mapped inputs (a renamed field, a header, a text/plain body), the Session-Token and api-key +
 * workspace-id transports, the split token, `fields` selection and a server-to-server route.
 */
function contract(externalIds: Map<string, string>): Partial<GatehouseOptions> {
  return {
    mountPath: '/v2',
    tokens: { scopes: ['admin', 'read'], apiKeyHeader: 'api-key' },
    authenticate: { sessionTokenHeader: 'Session-Token', splitSessionCookie: 'Session-Token', workspaceHeader: 'workspace-id' },
    federation: { audiences: { canny: { algorithm: 'HS256', secret: 'c'.repeat(32) } } },
    paths: {
      signup: '/auth/signup',
      login: ['/auth/login', '/auth/session'],
      logout: 'POST /auth/logout',
      currentAuth: '/auth/profile',
      passwordChange: '/auth/password',
      apiTokenCreate: '/auth/tokens',
      federatedToken: { path: '/auth/canny-sso', params: { audience: 'canny' } },
      totpEnable: '/v1/users/:userId/totp',
    },
    responses: {
      envelope: (result, { status }) => ({ status: 'success', code: status, result }),
      errors: { status: { TOKEN_EXPIRED: 403 }, body: (error) => ({ status: 'error', code: error.status, message: error.message, error_type: error.code }) },
      output: { case: 'snake', fieldsQuery: 'fields' },
    },
    shape: {
      signup: { input: { body: { name: 'body:full_name' } }, success: { status: 200 } },
      login: {
        input: { body: { email: 'body:auth' }, query: { cookie: (req) => (req.query().get('cookie') === 'true' ? 'split' : 'false') } },
        success: { body: (body) => ({ user: (body as { user: unknown }).user, sessionToken: (body as { token: string }).token }) },
      },
      logout: { success: { status: 200, body: () => ({ logged_out: true }) } },
      passwordChange: { input: { body: { currentPassword: 'header:confirmationPassword', newPassword: 'text' } } },
      apiTokenCreate: { success: { status: 200 } },
      totpEnable: { actAs: { param: 'userId', scope: 'admin', resolveUser: (id) => externalIds.get(id) ?? null } },
    },
  }
}

describe.each(frameworks)('%s: one mount reproducing a contract with every shaping capability', (framework) => {
  it('answers the whole contract', async () => {
    const externalIds = new Map<string, string>()
    const gate = createGatehouse({ baseUrl, clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} }, ...contract(externalIds) })
    const app = mountHost(framework, gate, { guarded: { '/host/whoami': {} } })

    const signup = await request(app).post('/v2/auth/signup').send({ email: 'a@example.com', password, full_name: 'Ada' })
    expect(signup.status).toBe(200)
    expect(signup.body).toMatchObject({ status: 'success', code: 200, result: { user: { email: 'a@example.com', name: 'Ada', email_verified: false } } })
    const userId = signup.body.result.user.id as string

    const badLogin = await request(app).post('/v2/auth/login').send({ auth: 'a@example.com', password: 'wrong password' })
    expect(badLogin.status).toBe(401)
    expect(badLogin.body).toEqual({ status: 'error', code: 401, message: expect.any(String), error_type: 'INVALID_CREDENTIALS' })
    const invalid = await request(app).post('/v2/auth/login').send({ password })
    expect(invalid.body).toMatchObject({ status: 'error', code: 400, error_type: 'INVALID_REQUEST' })

    // The split token through the alias, then both transports of a session.
    const split = await request(app).post('/v2/auth/session?cookie=true&fields=session_token').send({ auth: 'a@example.com', password })
    expect(split.status).toBe(200)
    expect(Object.keys(split.body.result)).toEqual(['session_token'])
    const firstHalf = split.body.result.session_token as string
    const cookie = String(split.headers['set-cookie']).split(';', 1)[0]!
    expect(cookie).toMatch(/^Session-Token=/)
    const profile = await request(app).get('/v2/auth/profile?fields=user.email,method').set('Session-Token', firstHalf).set('cookie', cookie)
    expect(profile.body).toEqual({ status: 'success', code: 200, result: { user: { email: 'a@example.com' }, method: 'session_header' } })
    expect((await request(app).get('/v2/auth/profile').set('Session-Token', firstHalf)).status).toBe(401)

    const whole = await request(app).post('/v2/auth/login').send({ auth: 'a@example.com', password })
    const session = { 'Session-Token': whole.body.result.session_token as string }
    const canny = await request(app).get('/v2/auth/canny-sso').set(session)
    expect(canny.body.result.token.split('.')).toHaveLength(3)

    // Header and text/plain inputs; validation stays gatehouse's.
    const change = await request(app).post('/v2/auth/password').set(session).set('confirmationPassword', password).set('content-type', 'text/plain').send('another long password')
    expect(change.status).toBe(204)
    expect(change.text).toBe('')
    const relogin = await request(app).post('/v2/auth/login').send({ auth: 'a@example.com', password: 'another long password' })
    const fresh = { 'Session-Token': relogin.body.result.session_token as string }

    // api-key + workspace-id, from a token created on a 200 instead of 201.
    const created = await request(app).post('/v2/auth/tokens').set(fresh).send({ name: 'server', scopes: ['admin'] })
    expect(created.status).toBe(200)
    expect(created.body.result).toMatchObject({ name: 'server', scopes: ['admin'], expires_at: null })
    const workspace = await gate.workspaces.create({ name: 'W', ownerId: userId })
    const whoami = await request(app).get('/host/whoami').set('api-key', created.body.result.token).set('workspace-id', workspace.id)
    expect(whoami.body).toMatchObject({ method: 'api_key', workspaceId: workspace.id, role: 'owner' })

    // Server to server: the admin token acts on a user by the host's id.
    const other = await request(app).post('/v2/auth/signup').send({ email: 'b@example.com', password })
    externalIds.set('ext-b', other.body.result.user.id)
    const totp = await request(app).post('/v2/v1/users/ext-b/totp').set('authorization', `Bearer ${created.body.result.token}`)
    expect(totp.status).toBe(200)
    expect(totp.body.result.otpauth_url).toContain('b%40example.com')

    const logout = await request(app).post('/v2/auth/logout').set(fresh)
    expect(logout.status).toBe(200)
    expect(logout.body).toEqual({ status: 'success', code: 200, result: { logged_out: true } })
    expect((await request(app).get('/v2/auth/profile').set(fresh)).body).toMatchObject({ status: 'error', code: 401 })
  })
})
