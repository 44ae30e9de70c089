import Router from '@koa/router'
import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import type { Gatehouse } from '../../src/index.js'
import { type Framework, createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'

/** A host route anyone may call, answering who optionalAuth says is calling (null: anonymous). */
function feedApp(framework: Framework, gate: Gatehouse) {
  if (framework === 'express') {
    const app = express()
    app.all('/feed', expressAdapter.optionalAuth(gate), (req, res) => res.json({ auth: req.auth ?? null }))
    return app
  }
  const app = new Koa()
  const router = new Router()
  router.all('/feed', koaAdapter.optionalAuth(gate), (ctx) => {
    ctx.body = { auth: ctx.state.auth ?? null }
  })
  app.use(router.routes())
  return app.callback()
}

describe.each(frameworks)('%s: optionalAuth', (framework) => {
  async function signedUp() {
    const app = createTestApp(framework)
    const signup = await request(app.handler).post('/auth/signup').send({ email, password })
    expect(signup.status).toBe(201)
    const login = await request(app.handler).post('/auth/session?cookie=false').send({ email, password })
    const user = (await app.gate.storage.users.getByEmail(email))!
    return { app, feed: feedApp(framework, app.gate), cookie: sessionCookieOf(signup.headers['set-cookie']), token: login.body.token as string, user }
  }

  it('leaves the caller anonymous without credentials', async () => {
    const { feed } = await signedUp()
    const res = await request(feed).get('/feed')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ auth: null })
  })

  it('sets the auth context for a valid cookie, session token or API token', async () => {
    const { app, feed, cookie, token, user } = await signedUp()
    const byCookie = await request(feed).get('/feed').set('Cookie', cookie)
    expect(byCookie.body.auth).toMatchObject({ user: { email }, method: 'cookie', session: { pendingSecondFactor: false } })
    const byBearer = await request(feed).get('/feed').set('Authorization', `Bearer ${token}`)
    expect(byBearer.body.auth).toMatchObject({ user: { email }, method: 'bearer' })
    const apiToken = await app.gate.tokens.create({ userId: user.id })
    const byApiKey = await request(feed).get('/feed').set('X-API-Key', apiToken.token)
    expect(byApiKey.body.auth).toMatchObject({ user: { email }, method: 'api_key', token: { id: apiToken.id } })
  })

  it('answers 401 for wrong, malformed, revoked or expired credentials instead of serving them as anonymous', async () => {
    const { app, feed, token, user } = await signedUp()
    const wrong = await request(feed).get('/feed').set('Authorization', 'Bearer ghs_not-a-session')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_TOKEN')
    expect((await request(feed).get('/feed').set('Authorization', 'Negotiate abc')).status).toBe(401)
    expect((await request(feed).get('/feed').set('Cookie', 'gatehouse_session=ghs_forged')).status).toBe(401)
    const badPassword = await request(feed).get('/feed').set('Authorization', `Basic ${Buffer.from(`${email}:wrong password`).toString('base64')}`)
    expect(badPassword.body.error.code).toBe('INVALID_CREDENTIALS')
    const apiToken = await app.gate.tokens.create({ userId: user.id })
    await app.gate.tokens.revoke({ userId: user.id, tokenId: apiToken.id })
    expect((await request(feed).get('/feed').set('Authorization', `Bearer ${apiToken.token}`)).status).toBe(401)
    app.clock.advance(8 * 24 * 3600 * 1000)
    const expired = await request(feed).get('/feed').set('Authorization', `Bearer ${token}`)
    expect(expired.status).toBe(401)
    expect(expired.body.error.code).toBe('SESSION_EXPIRED')
  })

  it('treats a session still pending its second factor as anonymous', async () => {
    const { app, feed, user } = await signedUp()
    const pending = await app.gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: app.clock.now() }], pendingSecondFactor: true })
    const res = await request(feed).get('/feed').set('Authorization', `Bearer ${pending.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ auth: null })
    const byCookie = await request(feed).post('/feed').set('Cookie', `gatehouse_session=${pending.token}`).set('Origin', 'http://evil.test')
    expect(byCookie.body).toEqual({ auth: null })
  })

  it('answers 403 to Basic credentials of a user with a second factor: they ask to be that user and cannot carry it', async () => {
    const { app, feed, user } = await signedUp()
    await app.gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'another pass phrase' })
    const res = await request(feed).get('/feed').set('Authorization', `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`)
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
  })

  it('refuses a cross-site unsafe request with the cookie (CSRF), as requireAuth does', async () => {
    const { feed, cookie } = await signedUp()
    const crossSite = await request(feed).post('/feed').set('Cookie', cookie).set('Origin', 'http://evil.test')
    expect(crossSite.status).toBe(403)
    expect(crossSite.body.error.code).toBe('CSRF_REJECTED')
    const sameSite = await request(feed).post('/feed').set('Cookie', cookie).set('Origin', origin)
    expect(sameSite.body.auth).toMatchObject({ user: { email } })
  })
})
