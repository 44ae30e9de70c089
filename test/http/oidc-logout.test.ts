import request from 'supertest'
import { beforeEach, describe, expect, it } from 'vitest'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { type HostileIdToken, type HostileProvider, useHostileProvider } from '../support/hostile-oidc-provider.js'
import { appOrigin, callbackUrlOf, clientId, clientSecret, createOidcTestApp, openCallback, startSignIn } from '../support/oidc-apps.js'

let hostile: HostileProvider

useHostileProvider({ clientId, clientSecret, redirectUri: callbackUrlOf() }, (started) => (hostile = started))
beforeEach(() => hostile.reset())

describe.each(frameworks)('%s: OIDC logout', (framework) => {
  function createApp() {
    const app = createOidcTestApp(framework, { issuer: hostile.issuer })
    hostile.now = () => app.clock.now()
    return app
  }

  async function signIn(app: ReturnType<typeof createApp>): Promise<string> {
    const { location, stateCookie } = await startSignIn(app.handler)
    const callbackUrl = new URL((await fetch(location, { redirect: 'manual' })).headers.get('location')!)
    const res = await openCallback(app.handler, callbackUrl, [stateCookie])
    expect(res.headers.location).toBe(`${appOrigin}/`)
    return sessionCookieOf(res.headers['set-cookie'])
  }

  const status = (app: ReturnType<typeof createApp>, cookie: string) =>
    request(app.handler)
      .get('/api/me')
      .set('Cookie', cookie)
      .then((res) => res.status)

  const postLogoutToken = async (app: ReturnType<typeof createApp>, token: HostileIdToken) =>
    request(app.handler)
      .post('/auth/oidc/corp/backchannel-logout')
      .type('form')
      .send({ logout_token: await hostile.mintLogoutToken(token) })

  it('back-channel logout by sid ends every session of that provider session at once, and no other', async () => {
    const app = createApp()
    const [first, second] = [await signIn(app), await signIn(app)]
    const other = await request(app.handler).post('/auth/signup').send({ email: 'other@example.com', password: 'correct horse battery' })
    const otherCookie = sessionCookieOf(other.headers['set-cookie'])
    const res = await postLogoutToken(app, { claims: { sub: undefined, sid: 'hostile-sid' } })
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect([await status(app, first), await status(app, second), await status(app, otherCookie)]).toEqual([401, 401, 200])
  })

  it('back-channel logout by sub ends the sessions of that (issuer, subject)', async () => {
    const app = createApp()
    const cookie = await signIn(app)
    expect((await postLogoutToken(app, {})).status).toBe(200)
    expect(await status(app, cookie)).toBe(401)
  })

  const refusals: [string, HostileIdToken][] = [
    ['another audience', { claims: { aud: 'another-client' } }],
    ['another issuer', { claims: { iss: 'https://evil.test' } }],
    ['no logout event', { claims: { events: undefined } }],
    ['another event', { claims: { events: { 'https://example.test/other': {} } } }],
    ['a nonce', { claims: { nonce: 'n' } }],
    ['neither sub nor sid', { claims: { sub: undefined } }],
    ['no jti', { claims: { jti: undefined } }],
    ['an iat long past', { claims: { iat: 1_000, exp: undefined } }],
    ['the typ of an ID token', { header: { typ: 'JWT' } }],
    ['alg none', { sign: 'none' }],
    ['the client secret as key', { sign: 'client-secret' }],
    ['a bad signature', { sign: 'rogue' }],
  ]
  it.each(refusals)('refuses a logout token with %s (400) and ends nothing', async (_case, token) => {
    const app = createApp()
    const cookie = await signIn(app)
    const res = await postLogoutToken(app, token)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('INVALID_REQUEST')
    expect(await status(app, cookie)).toBe(200)
  })

  it('refuses a replayed logout token', async () => {
    const app = createApp()
    const token = await hostile.mintLogoutToken({ claims: { jti: 'once' } })
    const post = () => request(app.handler).post('/auth/oidc/corp/backchannel-logout').type('form').send({ logout_token: token })
    expect((await post()).status).toBe(200)
    expect((await post()).status).toBe(400)
    expect((await request(app.handler).post('/auth/oidc/nobody/backchannel-logout').type('form').send({ logout_token: token })).status).toBe(404)
  })

  it('oidcLogout ends the session and, without an end_session_endpoint, lands on the post-logout page', async () => {
    const app = createApp()
    const cookie = await signIn(app)
    const res = await request(app.handler).post('/auth/oidc/logout').set('Cookie', cookie).set('Origin', appOrigin)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(`${appOrigin}/`)
    expect(await status(app, cookie)).toBe(401)
    expect((await request(app.handler).post('/auth/oidc/logout').set('Cookie', cookie).set('Origin', appOrigin)).status).toBe(401)
  })
})
