import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import { ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { linkIn, pathOf } from '../support/delivery-apps.js'
import { fastHashing, frameworks, sessionCookieOf, type Framework } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const email = 'mount@example.com'
const password = 'long enough password'

/** gatehouse mounted at /api/auth with two renamed routes, beside a guarded host route. */
function mountedApp(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const mailer = createCaptureMailer()
  const clock = createFixedClock()
  const errors: string[] = []
  const gate = createGatehouse({
    baseUrl: 'http://app.test',
    clock,
    passwords: fastHashing,
    logger: { error: (message) => errors.push(message) },
    delivery: { email: mailer },
    mountPath: '/api/auth',
    paths: { magicLinkVerify: '/links/open', passwordResetInfo: '/forgotten/check' },
    ...overrides,
  })
  if (framework === 'express') {
    const app = express()
    app.use(express.json())
    app.use('/api/auth', expressAdapter.authRoutes(gate))
    app.get('/api/me', expressAdapter.requireAuth(gate), (req, res) => res.json({ email: req.auth?.user.email }))
    return { handler: app, gate, mailer, errors, clock }
  }
  const app = new Koa()
  app.use(koaAdapter.authRoutes(gate))
  const guard = koaAdapter.requireAuth(gate)
  app.use(async (ctx, next) => {
    if (ctx.path !== '/api/me') return next()
    await guard(ctx, async () => {
      ctx.body = { email: ctx.state.auth?.user.email }
    })
  })
  return { handler: app.callback(), gate, mailer, errors, clock }
}

/** What the confirm page's button sends: a same-origin form POST of the token, asking for HTML. */
function pressSignInButton(handler: Parameters<typeof request>[0], link: URL) {
  return request(handler).post(pathOf(link)).type('form').send({ token: link.searchParams.get('token') }).set('Origin', 'http://app.test').set('Accept', 'text/html')
}

describe.each(frameworks)('%s: mounted at /api/auth with renamed routes', (framework) => {
  it('knows the absolute URL of every mounted route', () => {
    const { gate } = mountedApp(framework)
    expect(gate.mountPath).toBe('/api/auth')
    expect(gate.urls.of('magicLinkVerify').href).toBe('http://app.test/api/auth/links/open')
    expect(gate.urls.of('sessionRevoke', { id: 'a b' }).href).toBe('http://app.test/api/auth/sessions/a%20b')
    expect(gate.routes.find((route) => route.name === 'passwordResetInfo')?.path).toBe('/forgotten/check')
  })

  it('mails a magic link that works end to end: confirm page, button POST, session cookie', async () => {
    const app = mountedApp(framework)
    const signup = await request(app.handler).post('/api/auth/signup').send({ email, password })
    expect(signup.status).toBe(201)
    expect((await request(app.handler).post('/api/auth/magic-link').send({ email })).status).toBe(202)
    await app.gate.delivery.drain()
    const link = linkIn(app.mailer.last(email)?.text)
    expect(`${link.origin}${link.pathname}`).toBe('http://app.test/api/auth/links/open')

    const page = await request(app.handler).get(pathOf(link)).set('Accept', 'text/html')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<form method="post">')
    const posted = await pressSignInButton(app.handler, link)
    expect(posted.status).toBe(303)
    const me = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(posted.headers['set-cookie']))
    expect(me.body).toEqual({ email })
    expect(app.errors).toEqual([])
  })

  it('mails a reset link to the renamed passwordResetInfo route, and the key from it resets the password', async () => {
    const app = mountedApp(framework)
    await request(app.handler).post('/api/auth/signup').send({ email, password })
    expect((await request(app.handler).post('/api/auth/password-reset').send({ email })).status).toBe(202)
    await app.gate.delivery.drain()
    const link = linkIn(app.mailer.last(email)?.text)
    expect(`${link.origin}${link.pathname}`).toBe('http://app.test/api/auth/forgotten/check')
    const info = await request(app.handler).get(pathOf(link))
    expect(info.status).toBe(200)
    expect(info.body.email).toBe('m***@example.com')
    const key = link.searchParams.get('key')
    const newPassword = 'another long password'
    expect((await request(app.handler).post('/api/auth/password-reset/complete').send({ key, newPassword })).status).toBe(204)
    expect((await request(app.handler).post('/api/auth/session').send({ email, password: newPassword })).status).toBe(200)
  })

  it('a magic link opened in a browser by a user with TOTP lands on the second-factor page, pending', async () => {
    const app = mountedApp(framework, { secondFactor: { page: '/two-step' } })
    const cookie = sessionCookieOf((await request(app.handler).post('/api/auth/signup').send({ email, password })).headers['set-cookie'])
    const user = (await app.gate.storage.users.getByEmail(email))!
    // Verified first: a first proof of an unverified mailbox would clear the factor (pre-account hijacking).
    await app.gate.storage.users.update(user.id, { emailVerifiedAt: app.clock.now() })
    const enrolment = await request(app.handler).post('/api/auth/totp').set('Cookie', cookie).set('Origin', 'http://app.test')
    const code = referenceTotpAt(enrolment.body.secret, app.clock.now())
    expect((await request(app.handler).post('/api/auth/totp/confirm').set('Cookie', cookie).set('Origin', 'http://app.test').send({ code })).status).toBe(200)

    await request(app.handler).post('/api/auth/magic-link').send({ email, redirectTo: '/projects' })
    await app.gate.delivery.drain()
    const link = linkIn(app.mailer.last(email)?.text)
    const posted = await pressSignInButton(app.handler, link)
    expect(posted.status).toBe(303)
    const location = new URL(posted.headers.location!)
    expect(`${location.origin}${location.pathname}`).toBe('http://app.test/two-step')
    expect(location.searchParams.get('returnTo')).toBe('http://app.test/projects')
    const pendingCookie = sessionCookieOf(posted.headers['set-cookie'])
    expect((await request(app.handler).get('/api/me').set('Cookie', pendingCookie)).status).toBe(403)
    const info = await request(app.handler).get('/api/auth/session/second-factor').set('Cookie', pendingCookie)
    expect(info.body.secondFactors).toContain('totp')
  })
})

describe('a mount that disagrees with mountPath is found, not silently wrong', () => {
  it('Express: mounted elsewhere, the first request logs the fix once', async () => {
    const errors: string[] = []
    const gate = createGatehouse({ baseUrl: 'http://app.test', passwords: fastHashing, logger: { error: (message) => errors.push(message) } })
    const app = express()
    app.use('/elsewhere', expressAdapter.authRoutes(gate))
    await request(app).get('/elsewhere/login-options')
    await request(app).get('/elsewhere/login-options')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain("mounted at '/elsewhere'")
    expect(errors[0]).toContain("set mountPath: '/elsewhere'")
  })

  it('Express without a mount path answers under mountPath', async () => {
    const gate = createGatehouse({ baseUrl: 'http://app.test', passwords: fastHashing })
    const app = express()
    app.use(expressAdapter.authRoutes(gate))
    app.use((_req, res) => res.status(404).send('host'))
    expect((await request(app).get('/auth/login-options')).status).toBe(200)
    expect((await request(app).get('/login-options')).text).toBe('host')
  })

  it('Koa: a prefix other than mountPath is a ConfigError; prefix "/" behind a stripping mount is checked on the first request', async () => {
    const gate = createGatehouse({ baseUrl: 'http://app.test', passwords: fastHashing, mountPath: '/api/auth' })
    expect(() => koaAdapter.authRoutes(gate, { prefix: '/auth' })).toThrow(ConfigError)
    const errors: string[] = []
    const logged = createGatehouse({ baseUrl: 'http://app.test', passwords: fastHashing, logger: { error: (message) => errors.push(message) } })
    const app = new Koa()
    const routes = koaAdapter.authRoutes(logged, { prefix: '/' })
    // What koa-mount does: strip '/sso' from ctx.path for the mounted middleware.
    app.use(async (ctx, next) => {
      if (!ctx.path.startsWith('/sso/')) return next()
      ctx.path = ctx.path.slice(4)
      await routes(ctx, next)
    })
    expect((await request(app.callback()).get('/sso/login-options')).status).toBe(200)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain("mounted at '/sso'")
  })
})
