import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import {
  appOrigin,
  callbackUrlOf,
  clientId,
  clientSecret,
  cookieOf,
  createOidcTestApp,
  openCallback,
  setCookieLines,
  startSignIn,
} from '../support/oidc-apps.js'
import { type TestOpenIdProvider, followProviderRedirects, startTestOpenIdProvider } from '../support/oidc-test-provider.js'

let op: TestOpenIdProvider

beforeAll(async () => {
  op = await startTestOpenIdProvider({
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [callbackUrlOf()],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })
  op.accounts.set('alice', { email: 'alice@example.com', emailVerified: true, name: 'Alice' })
  op.accounts.set('bob', { email: 'bob@example.com', emailVerified: false })
  op.accounts.set('carol', { email: 'carol@example.com', emailVerified: true })
  op.accounts.set('nomail', {})
})

afterAll(async () => {
  await op.close()
})

describe.each(frameworks)('%s: OIDC sign-in against a real OpenID Provider', (framework) => {
  /** The whole browser round trip: start, the provider, the callback; answers the callback's response. */
  async function signIn(app: ReturnType<typeof createOidcTestApp>, subject: string, query = '?returnTo=/projects', cookies: string[] = []) {
    op.signInAs(subject)
    const { location, stateCookie } = await startSignIn(app.handler, query)
    const callbackUrl = await followProviderRedirects(location, callbackUrlOf())
    return openCallback(app.handler, callbackUrl, [stateCookie, ...cookies])
  }

  it('signs a new user in with the code flow and PKCE S256, creates the account and lists the identity', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    const { location, stateCookie, res: start } = await startSignIn(app.handler, '?returnTo=/projects')
    const authorize = new URL(location)
    expect(authorize.origin).toBe(op.issuer)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackUrlOf())
    expect(authorize.searchParams.get('scope')).toBe('openid email profile')
    expect(stateCookie).toBeDefined()
    const stateLine = setCookieLines(start.headers['set-cookie']).find((line) => line.startsWith('gatehouse_oidc='))!
    expect(stateLine).toMatch(/HttpOnly/i)
    expect(stateLine).toMatch(/SameSite=Lax/i)
    expect(stateLine).toContain('Path=/auth/oidc/corp/callback')

    op.signInAs('alice')
    const callbackUrl = await followProviderRedirects(location, callbackUrlOf())
    expect(callbackUrl.searchParams.get('iss')).toBe(op.issuer)
    const callback = await openCallback(app.handler, callbackUrl, [stateCookie])
    expect(callback.status).toBe(302)
    expect(callback.headers.location).toBe(`${appOrigin}/projects`)
    expect(JSON.stringify(callback.headers)).not.toMatch(/access_token|id_token|refresh_token/)
    expect(callback.text ?? '').toBe('')
    const cookie = sessionCookieOf(callback.headers['set-cookie'])
    expect(setCookieLines(callback.headers['set-cookie']).some((line) => line.startsWith('gatehouse_oidc=;'))).toBe(true)

    const me = await request(app.handler).get('/api/me').set('Cookie', cookie)
    expect(me.status).toBe(200)
    expect(me.body.user).toMatchObject({ email: 'alice@example.com', name: 'Alice', emailVerified: true })
    expect(me.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['oidc'])

    const identities = await request(app.handler).get('/auth/identities').set('Cookie', cookie)
    expect(identities.status).toBe(200)
    expect(identities.body).toEqual([
      { id: expect.any(String), provider: 'corp', subject: 'alice', email: 'alice@example.com', linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    ])

    // A second login is the same account.
    const again = await signIn(app, 'alice')
    expect(again.status).toBe(302)
    const second = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(again.headers['set-cookie']))
    expect(second.body.user.id).toBe(me.body.user.id)
  })

  it('lists the provider in loginOptions with its absolute login URL', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    const res = await request(app.handler).get('/auth/login-options')
    expect(res.body.oidc).toEqual([{ id: 'corp', name: 'Corp SSO', loginUrl: `${appOrigin}/auth/oidc/corp/login` }])
  })

  it('refuses a replayed callback and a callback without the browser state cookie, before the token endpoint', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    op.signInAs('alice')
    const { location, stateCookie } = await startSignIn(app.handler)
    const callbackUrl = await followProviderRedirects(location, callbackUrlOf())

    const foreign = await openCallback(app.handler, callbackUrl, [])
    expect(foreign.status).toBe(302)
    expect(foreign.headers.location).toBe(`${appOrigin}/login?error=OIDC_STATE_INVALID`)
    const before = op.tokenRequests
    const first = await openCallback(app.handler, callbackUrl, [stateCookie])
    expect(first.status).toBe(302)
    expect(first.headers.location).toBe(`${appOrigin}/`)
    expect(op.tokenRequests).toBe(before + 1)

    const replay = await openCallback(app.handler, callbackUrl, [stateCookie])
    expect(replay.status).toBe(302)
    expect(replay.headers.location).toBe(`${appOrigin}/login?error=OIDC_STATE_INVALID`)
    expect(cookieOf(replay.headers['set-cookie'], 'gatehouse_session')).toBeUndefined()
    expect(op.tokenRequests).toBe(before + 1)
  })

  it('refuses an existing account of the same e-mail until its owner links the identity while signed in', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    const signup = await request(app.handler).post('/auth/signup').send({ email: 'carol@example.com', password: 'correct horse battery' })
    expect(signup.status).toBe(201)
    const owner = sessionCookieOf(signup.headers['set-cookie'])

    const refused = await signIn(app, 'carol')
    expect(refused.status).toBe(302)
    expect(refused.headers.location).toBe(`${appOrigin}/login?error=OIDC_ACCOUNT_EXISTS`)
    expect(cookieOf(refused.headers['set-cookie'], 'gatehouse_session')).toBeUndefined()

    const crossSite = await request(app.handler).post('/auth/oidc/corp/link').set('Cookie', owner).set('Origin', 'https://evil.test')
    expect(crossSite.status).toBe(403)
    const link = await request(app.handler).post('/auth/oidc/corp/link?returnTo=/settings').set('Cookie', owner).set('Origin', appOrigin)
    expect(link.status).toBe(302)
    op.signInAs('carol')
    const callbackUrl = await followProviderRedirects(link.headers.location!, callbackUrlOf())
    const linked = await openCallback(app.handler, callbackUrl, [cookieOf(link.headers['set-cookie'], 'gatehouse_oidc'), owner])
    expect(linked.status).toBe(302)
    expect(linked.headers.location).toBe(`${appOrigin}/settings`)
    const identities = await request(app.handler).get('/auth/identities').set('Cookie', owner)
    expect(identities.body.map((identity: { subject: string }) => identity.subject)).toEqual(['carol'])

    const later = await signIn(app, 'carol')
    expect(later.headers.location).toBe(`${appOrigin}/projects`)
    const me = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(later.headers['set-cookie']))
    expect(me.body.user.id).toBe(signup.body.user.id)

    // The identity never moves to another account.
    const other = await request(app.handler).post('/auth/signup').send({ email: 'dave@example.com', password: 'correct horse battery' })
    const otherCookie = sessionCookieOf(other.headers['set-cookie'])
    const steal = await request(app.handler).post('/auth/oidc/corp/link').set('Cookie', otherCookie).set('Origin', appOrigin)
    const stealCallback = await followProviderRedirects(steal.headers.location!, callbackUrlOf())
    const stolen = await openCallback(app.handler, stealCallback, [cookieOf(steal.headers['set-cookie'], 'gatehouse_oidc'), otherCookie])
    expect(stolen.headers.location).toBe(`${appOrigin}/login?error=IDENTITY_TAKEN`)
    expect((await request(app.handler).get('/auth/identities').set('Cookie', otherCookie)).body).toEqual([])
  })

  it('links by e-mail only with linkByEmail and a verified e-mail, and ends what was set up before the proof', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer, linkByEmail: true })
    for (const email of ['alice@example.com', 'bob@example.com']) {
      await request(app.handler).post('/auth/signup').send({ email, password: 'correct horse battery' })
    }
    const squatter = await request(app.handler).post('/auth/session').send({ email: 'alice@example.com', password: 'correct horse battery' })
    const squatterCookie = sessionCookieOf(squatter.headers['set-cookie'])

    const verified = await signIn(app, 'alice')
    expect(verified.headers.location).toBe(`${appOrigin}/projects`)
    const me = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(verified.headers['set-cookie']))
    expect(me.body.user).toMatchObject({ email: 'alice@example.com', emailVerified: true })
    // Whoever signed up with the address before it was proven loses the session and the password.
    expect((await request(app.handler).get('/api/me').set('Cookie', squatterCookie)).status).toBe(401)
    const password = await request(app.handler).post('/auth/session').send({ email: 'alice@example.com', password: 'correct horse battery' })
    expect(password.status).toBe(401)

    const unverified = await signIn(app, 'bob')
    expect(unverified.headers.location).toBe(`${appOrigin}/login?error=OIDC_ACCOUNT_EXISTS`)
  })

  it('refuses sign-up when the provider does not allow it, and a new account without an e-mail', async () => {
    const closed = createOidcTestApp(framework, { issuer: op.issuer, allowSignup: false })
    expect((await signIn(closed, 'alice')).headers.location).toBe(`${appOrigin}/login?error=OIDC_SIGNUP_DISABLED`)
    const open = createOidcTestApp(framework, { issuer: op.issuer })
    expect((await signIn(open, 'nomail')).headers.location).toBe(`${appOrigin}/login?error=OIDC_EMAIL_MISSING`)
  })

  it('gives a user with a second factor a pending session and sends the browser to the second-factor page', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer }, { secondFactor: { page: '/two-factor' } })
    const first = await signIn(app, 'alice')
    const me = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(first.headers['set-cookie']))
    const now = app.clock.now()
    await app.gate.storage.factors.create({ id: 'f1', userId: me.body.user.id, kind: 'totp', secret: 'v1.x.y', confirmedAt: now, lastUsedStep: null, createdAt: now, name: null, data: null, lastUsedAt: null })

    const pending = await signIn(app, 'alice')
    expect(pending.status).toBe(302)
    expect(pending.headers.location).toBe(`${appOrigin}/two-factor?returnTo=${encodeURIComponent(`${appOrigin}/projects`)}`)
    const cookie = sessionCookieOf(pending.headers['set-cookie'])
    expect((await request(app.handler).get('/api/me').set('Cookie', cookie)).status).toBe(403)
    const info = await request(app.handler).get('/auth/session/second-factor').set('Cookie', cookie)
    expect(info.status).toBe(200)
    expect(info.body.secondFactors).toContain('totp')
  })

  it('refuses to start for an unknown provider or a returnTo off the allowed origins, as a redirect to the login page', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    const unknown = await request(app.handler).get('/auth/oidc/nobody/login')
    expect(unknown.status).toBe(302)
    expect(unknown.headers.location).toBe(`${appOrigin}/login?error=OIDC_PROVIDER_UNKNOWN`)
    for (const returnTo of ['//evil.test/x', 'https://evil.test/', 'javascript:alert(1)']) {
      const res = await request(app.handler).get(`/auth/oidc/corp/login?returnTo=${encodeURIComponent(returnTo)}`)
      expect(res.headers.location).toBe(`${appOrigin}/login?error=INVALID_REDIRECT`)
    }
    const callback = await request(app.handler).get('/auth/oidc/nobody/callback?code=x&state=y')
    expect(callback.headers.location).toBe(`${appOrigin}/login?error=OIDC_STATE_INVALID`)
  })

  it('unlinks an identity, but never the last way to sign in', async () => {
    const app = createOidcTestApp(framework, { issuer: op.issuer })
    const only = await signIn(app, 'alice')
    const cookie = sessionCookieOf(only.headers['set-cookie'])
    const [identity] = (await request(app.handler).get('/auth/identities').set('Cookie', cookie)).body
    const refused = await request(app.handler).delete(`/auth/identities/${identity.id}`).set('Cookie', cookie).set('Origin', appOrigin)
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('LAST_SIGN_IN_METHOD')
    expect((await request(app.handler).delete('/auth/identities/nope').set('Cookie', cookie).set('Origin', appOrigin)).status).toBe(404)

    const withPassword = await request(app.handler).post('/auth/signup').send({ email: 'carol@example.com', password: 'correct horse battery' })
    const owner = sessionCookieOf(withPassword.headers['set-cookie'])
    const link = await request(app.handler).post('/auth/oidc/corp/link').set('Cookie', owner).set('Origin', appOrigin)
    op.signInAs('carol')
    const callbackUrl = await followProviderRedirects(link.headers.location!, callbackUrlOf())
    await openCallback(app.handler, callbackUrl, [cookieOf(link.headers['set-cookie'], 'gatehouse_oidc'), owner])
    const [linked] = (await request(app.handler).get('/auth/identities').set('Cookie', owner)).body
    const unlinked = await request(app.handler).delete(`/auth/identities/${linked.id}`).set('Cookie', owner).set('Origin', appOrigin)
    expect(unlinked.status).toBe(204)
    expect((await request(app.handler).get('/auth/identities').set('Cookie', owner)).body).toEqual([])
  })
})
