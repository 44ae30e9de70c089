import request from 'supertest'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import { ConfigError, createGatehouse, type Logger, type RouteName, type RouteOptions } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing, frameworks } from '../support/example-apps.js'
import { HOST_NOT_FOUND, mountHost } from '../support/mount-host.js'

function mount(framework: Framework, options: RouteOptions<RouteName>, logger?: Logger) {
  const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, logger, mountPath: '/api', ...options })
  return mountHost(framework, gate)
}

describe.each(frameworks)('%s: paths, disable and respond reproduce another API contract', (framework) => {
  it("answers Semaphore's POST /auth/login with 204 and Toggl's POST /me/sessions with Basic", async () => {
    const app = mount(framework, {
      paths: { login: '/auth/login', signup: '/me/signup', logout: '/auth/logout' },
      respond: { login: (res) => (res.status === 200 ? { ...res, status: 204, body: undefined } : res) },
      disable: ['unregister'],
    })
    const signup = await request(app).post('/api/me/signup').send({ email: 'a@example.com', password: 'long enough pw' })
    expect(signup.status).toBe(201)
    const login = await request(app).post('/api/auth/login').send({ email: 'a@example.com', password: 'long enough pw' })
    expect(login.status).toBe(204)
    expect(String(login.headers['set-cookie'])).toMatch(/gatehouse_session=ghs_/)
    const wrong = await request(app).post('/api/auth/login').send({ email: 'a@example.com', password: 'wrong password' })
    expect(wrong.status).toBe(401)
    expect((await request(app).post('/api/session').send({})).text).toBe(HOST_NOT_FOUND)
    expect((await request(app).post('/api/unregister').send({})).text).toBe(HOST_NOT_FOUND)
    expect((await request(app).get('/elsewhere')).text).toBe(HOST_NOT_FOUND)
  })

  it('a respond hook that throws answers a 500 error body, not a crash', async () => {
    const app = mount(framework, { respond: { loginOptions: () => { throw new Error('boom') } } }, { error: () => {} })
    const res = await request(app).get('/api/login-options')
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('INTERNAL_ERROR')
  })
})

describe('options are checked once, every problem listed', () => {
  it('createGatehouse lists all problems in one ConfigError', () => {
    let error: unknown
    try {
      createGatehouse({
        baseUrl: 'ftp://nope',
        secret: 'short',
        sessions: { idleTimeoutSeconds: -1 },
        passwords: { minLength: 0 },
        storage: { sessionz: {} } as never,
        unknownOption: true,
      } as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const part of ['baseUrl', 'secret', 'sessions.idleTimeoutSeconds', 'passwords.minLength', 'storage.sessionz', 'unknownOption']) {
      expect(problems).toContain(part)
    }
  })

  it('refuses to run without a secret in production', () => {
    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      expect(() => createGatehouse({ baseUrl: 'https://app.example.com' })).toThrow(/secret: is required/)
      const gate = createGatehouse({ baseUrl: 'https://app.example.com', secret: 's'.repeat(32) })
      expect(gate.config.cookie.name).toBe('__Host-gatehouse_session')
      expect(gate.config.secure).toBe(true)
    } finally {
      process.env.NODE_ENV = previous
    }
  })

  it.each(frameworks)('%s: only serves the routes it names and no other', async (framework) => {
    const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, only: ['signup', 'currentAuth'] })
    expect(gate.routes.map((route) => route.name).sort()).toEqual(['currentAuth', 'signup'])
    const host = mountHost(framework, gate)
    expect((await request(host).post('/auth/signup').send({ email: 'o@example.com', password: 'long enough pw' })).status).toBe(201)
    expect((await request(host).post('/auth/session').send({ email: 'o@example.com', password: 'long enough pw' })).status).toBe(404)
  })

  it('createGatehouse refuses unknown route names and colliding paths; requireAuth bad needs', () => {
    const baseUrl = 'http://app.test'
    expect(() => createGatehouse({ baseUrl, paths: { logn: '/x' } as never })).toThrow(/paths.logn: is not a route of this gatehouse/)
    expect(() => createGatehouse({ baseUrl, disable: ['nope' as never] })).toThrow(ConfigError)
    expect(() => createGatehouse({ baseUrl, paths: { login: 'no-slash' } })).toThrow(/must be a path/)
    expect(() => createGatehouse({ baseUrl, paths: { login: '/signup' } })).toThrow(/both answer POST \/signup/)
    expect(() => createGatehouse({ baseUrl, mountPath: 'auth' })).toThrow(/mountPath: must be a path/)
    expect(() => createGatehouse({ baseUrl, only: ['logn' as never] })).toThrow(/only.logn: is not a route of this gatehouse/)
    expect(() => createGatehouse({ baseUrl, only: ['login'], disable: ['signup'] })).toThrow(/only and disable: give one of them/)
    expect(() => createGatehouse({ baseUrl, only: ['login'], paths: { signup: '/register' } })).toThrow(/paths.signup: the route is not in only/)
    const gate = createGatehouse({ baseUrl })
    expect(() => koaAdapter.authRoutes(gate, { prefix: '/api' })).toThrow(/not the mount path '\/auth'/)
    expect(() => expressAdapter.requireAuth(gate, { scopes: 'admin' } as never)).toThrow(ConfigError)
    expect(() => koaAdapter.requireAuth(gate, { secondFactorWithinSeconds: -5 })).toThrow(ConfigError)
  })
})

describe('https deployments', () => {
  it.each(frameworks)('%s: sets a Secure __Host- cookie', async (framework) => {
    const gate = createGatehouse({ baseUrl: 'https://app.example.com', clock: createFixedClock(), passwords: fastHashing })
    const res = await request(mountHost(framework, gate)).post('/auth/signup').send({ email: 'h@example.com', password: 'long enough pw' })
    expect(res.status).toBe(201)
    expect(String(res.headers['set-cookie'])).toMatch(/^__Host-gatehouse_session=ghs_[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
  })
})
