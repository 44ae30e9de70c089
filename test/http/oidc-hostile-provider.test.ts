import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { OidcProviderOptions } from '../../src/index.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { type HostileIdToken, type HostileProvider, useHostileProvider } from '../support/hostile-oidc-provider.js'
import { appOrigin, callbackUrlOf, clientId, clientSecret, cookieOf, createOidcTestApp, openCallback, startSignIn } from '../support/oidc-apps.js'

let hostile: HostileProvider

useHostileProvider({ clientId, clientSecret, redirectUri: callbackUrlOf() }, (started) => (hostile = started))

beforeEach(() => hostile.reset())
afterEach(() => vi.restoreAllMocks())

const failedWith = (code: string) => `${appOrigin}/login?error=${code}`

describe.each(frameworks)('%s: OIDC against a hostile provider', (framework) => {
  function createApp(provider: Partial<OidcProviderOptions> = {}) {
    const app = createOidcTestApp(framework, { issuer: hostile.issuer, ...provider })
    hostile.now = () => app.clock.now()
    return app
  }

  /** Start, the provider's redirect, the callback: answers the callback. */
  async function signIn(app: ReturnType<typeof createApp>) {
    const { location, stateCookie } = await startSignIn(app.handler)
    const authorize = await fetch(location, { redirect: 'manual' })
    const callbackUrl = new URL(authorize.headers.get('location')!)
    return openCallback(app.handler, callbackUrl, [stateCookie])
  }

  /** The callback failed with `code`, without a session, and (when given) the log names the check that refused it. */
  async function expectRefused(app: ReturnType<typeof createApp>, code: string, reason?: RegExp) {
    const res = await signIn(app)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(failedWith(code))
    expect(cookieOf(res.headers['set-cookie'], 'gatehouse_session')).toBeUndefined()
    if (reason !== undefined) expect(app.warnings.at(-1)).toMatch(reason)
    return res
  }

  it('signs in with a well-formed answer (so each refusal below is the one rule it breaks)', async () => {
    const app = createApp()
    const res = await signIn(app)
    expect(res.headers.location).toBe(`${appOrigin}/`)
    const me = await request(app.handler).get('/api/me').set('Cookie', sessionCookieOf(res.headers['set-cookie']))
    expect(me.body.user.email).toBe('mallory@example.com')
    expect(hostile.tokenRequests).toEqual([{ clientAuth: 'basic', assertionValid: true, pkceValid: true }])
  })

  it('authenticates to the token endpoint with client_secret_post and private_key_jwt', async () => {
    await signIn(createApp({ tokenEndpointAuthMethod: 'client_secret_post' }))
    const keyed = createApp({ clientSecret: undefined, privateKeyJwk: hostile.clientKey.privateJwk as Record<string, unknown> })
    await signIn(keyed)
    expect(hostile.tokenRequests).toEqual([
      { clientAuth: 'post', assertionValid: true, pkceValid: true },
      { clientAuth: 'private_key_jwt', assertionValid: true, pkceValid: true },
    ])
  })

  const cases: [string, HostileIdToken, RegExp][] = [
    ['a wrong nonce', { claims: { nonce: 'not-the-one-sent' } }, /checked: nonce/],
    ['a missing nonce', { claims: { nonce: undefined } }, /\(nonce\) claim missing|checked: nonce/],
    ['a wrong iss', { claims: { iss: 'https://evil.test' } }, /checked: iss/],
    ['a wrong aud', { claims: { aud: 'another-client' } }, /checked: aud/],
    ['several aud without azp', { claims: { aud: [clientId, 'another-client'] } }, /additional untrusted audiences/],
    ['several aud with a foreign azp', { claims: { aud: [clientId, 'another-client'], azp: 'another-client' } }, /checked: azp/],
    ['an iat in the future', { claims: { iat: 'future' } }, /issued in the future/],
    ['a bad signature', { sign: 'rogue' }, /signature verification failed/],
    ['alg none', { sign: 'none' }, /header parameter/],
    ['HS256 signed with the client secret', { sign: 'client-secret' }, /header parameter/],
  ]
  it.each(cases)('refuses an ID token with %s', async (_case, idToken, reason) => {
    const app = createApp()
    const claims = idToken.claims?.iat === 'future' ? { ...idToken.claims, iat: Math.floor(app.clock.now() / 1000) + 3600 } : idToken.claims
    hostile.behaviour.idToken = { ...idToken, ...(claims === undefined ? {} : { claims }) }
    await expectRefused(app, 'OIDC_RESPONSE_INVALID', reason)
    expect(hostile.tokenRequests).toHaveLength(1)
  })

  it('accepts several aud when azp is the client', async () => {
    hostile.behaviour.idToken = { claims: { aud: [clientId, 'another-client'], azp: clientId } }
    expect((await signIn(createApp())).headers.location).toBe(`${appOrigin}/`)
  })

  it('refuses an expired ID token as TOKEN_EXPIRED', async () => {
    const app = createApp()
    const seconds = Math.floor(app.clock.now() / 1000)
    hostile.behaviour.idToken = { claims: { iat: seconds - 900, exp: seconds - 600 } }
    await expectRefused(app, 'TOKEN_EXPIRED')
  })

  it('refuses a token without kid when the JWKS has several keys', async () => {
    hostile.behaviour.publishedKeys = ['k1', 'k2']
    hostile.behaviour.idToken = { header: { kid: undefined } }
    await expectRefused(createApp(), 'OIDC_RESPONSE_INVALID', /multiple applicable keys/)
  })

  it('accepts a rotated key once the cached JWKS is older than 60 s, and not sooner', async () => {
    const app = createApp()
    expect((await signIn(app)).headers.location).toBe(`${appOrigin}/`)
    hostile.behaviour.publishedKeys = ['k1', 'k2']
    hostile.behaviour.idToken = { sign: 'k2' }
    await expectRefused(app, 'OIDC_RESPONSE_INVALID', /no applicable keys/)
    const jwksFetches = hostile.jwksRequests
    const realNow = Date.now()
    // oauth4webapi ages its JWKS cache by the real clock.
    vi.spyOn(Date, 'now').mockReturnValue(realNow + 61_000)
    expect((await signIn(app)).headers.location).toBe(`${appOrigin}/`)
    expect(hostile.jwksRequests).toBe(jwksFetches + 1)
  })

  it('refuses a userinfo answer about another subject', async () => {
    hostile.behaviour.userinfoSub = 'someone-else'
    await expectRefused(createApp(), 'OIDC_RESPONSE_INVALID', /checked: sub/)
  })

  it('refuses metadata naming another issuer: the sign-in does not start', async () => {
    hostile.behaviour.discoveryIssuer = 'https://accounts.evil.test'
    const app = createApp()
    const res = await request(app.handler).get('/auth/oidc/corp/login')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(failedWith('OIDC_PROVIDER_UNAVAILABLE'))
    expect(hostile.authorizeRequests).toBe(0)
    expect(app.errors.join('\n')).toMatch(/discovery failed/)
  })

  it.each([
    ['missing although announced', 'missing' as const, true, /\(issuer\) missing/],
    ['wrong', 'wrong' as const, true, /\(issuer\) response parameter value/],
    ['wrong while not announced', 'wrong' as const, false, /\(issuer\) response parameter value/],
  ])('refuses an authorization response whose iss is %s, before the token endpoint', async (_case, callbackIss, announceIss, reason) => {
    hostile.behaviour.callbackIss = callbackIss
    hostile.behaviour.announceIss = announceIss
    await expectRefused(createApp(), 'OIDC_RESPONSE_INVALID', reason)
    expect(hostile.tokenRequests).toEqual([])
  })

  it('accepts a response without iss from a provider that does not announce it', async () => {
    hostile.behaviour.callbackIss = 'missing'
    hostile.behaviour.announceIss = false
    expect((await signIn(createApp())).headers.location).toBe(`${appOrigin}/`)
  })

  it('refuses a state that is not the browser one, before the token endpoint', async () => {
    hostile.behaviour.callbackState = 'forged-state-value-of-some-length-000000000'
    await expectRefused(createApp(), 'OIDC_STATE_INVALID')
    expect(hostile.tokenRequests).toEqual([])
  })

  it('refuses a replayed code: the second callback never reaches the token endpoint', async () => {
    const app = createApp()
    const { location, stateCookie } = await startSignIn(app.handler)
    const callbackUrl = new URL((await fetch(location, { redirect: 'manual' })).headers.get('location')!)
    expect((await openCallback(app.handler, callbackUrl, [stateCookie])).headers.location).toBe(`${appOrigin}/`)
    const replay = await openCallback(app.handler, callbackUrl, [stateCookie])
    expect(replay.headers.location).toBe(failedWith('OIDC_STATE_INVALID'))
    expect(hostile.tokenRequests).toHaveLength(1)
  })

  it('answers error=access_denied with OIDC_ACCESS_DENIED and no token request', async () => {
    hostile.behaviour.authorizeError = 'access_denied'
    await expectRefused(createApp(), 'OIDC_ACCESS_DENIED')
    hostile.behaviour.authorizeError = 'server_error'
    await expectRefused(createApp(), 'OIDC_PROVIDER_ERROR')
    expect(hostile.tokenRequests).toEqual([])
  })

  it('answers an unreachable provider with a redirect, never a 500', async () => {
    const app = createOidcTestApp(framework, { issuer: 'http://127.0.0.1:9' })
    const res = await request(app.handler).get('/auth/oidc/corp/login')
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe(failedWith('OIDC_PROVIDER_UNAVAILABLE'))
  })

  describe('ID-token sign-in (oidcTokenLogin)', () => {
    it('signs in with a valid ID token, with the same rules as the callback', async () => {
      const app = createApp({ additionalAudiences: ['ios-app'] })
      const res = await request(app.handler).post('/auth/oidc/corp/token').set('Origin', appOrigin).send({ idToken: await hostile.mintIdToken({}) })
      expect(res.status).toBe(200)
      expect(res.body.user.email).toBe('mallory@example.com')
      const native = await request(app.handler)
        .post('/auth/oidc/corp/token?cookie=false')
        .set('Origin', appOrigin)
        .send({ idToken: await hostile.mintIdToken({ claims: { aud: 'ios-app' } }) })
      expect(native.status).toBe(200)
      expect(native.body.token).toMatch(/^ghs_/)
      expect(native.body.user.id).toBe(res.body.user.id)
      const withNonce = await request(app.handler)
        .post('/auth/oidc/corp/token')
        .set('Origin', appOrigin)
        .send({ idToken: await hostile.mintIdToken({}, 'page-nonce'), nonce: 'page-nonce' })
      expect(withNonce.status).toBe(200)
    })

    it.each([
      ['expired', {}, 'TOKEN_EXPIRED'],
      ['for another audience', { claims: { aud: 'another-client' } }, 'OIDC_RESPONSE_INVALID'],
      ['from another issuer', { claims: { iss: 'https://evil.test' } }, 'OIDC_RESPONSE_INVALID'],
      ['unsigned', { sign: 'none' as const }, 'OIDC_RESPONSE_INVALID'],
      ['signed with the client secret', { sign: 'client-secret' as const }, 'OIDC_RESPONSE_INVALID'],
      ['badly signed', { sign: 'rogue' as const }, 'OIDC_RESPONSE_INVALID'],
    ] as [string, HostileIdToken, string][])('refuses an ID token %s with 401 %s', async (_case, idToken, code) => {
      const app = createApp()
      const seconds = Math.floor(app.clock.now() / 1000)
      const token = code === 'TOKEN_EXPIRED' ? { claims: { iat: seconds - 900, exp: seconds - 600 } } : idToken
      const res = await request(app.handler).post('/auth/oidc/corp/token').set('Origin', appOrigin).send({ idToken: await hostile.mintIdToken(token) })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe(code)
      expect(res.headers['set-cookie']).toBeUndefined()
    })

    it('refuses a token with a nonce when none is given, a wrong nonce, garbage and an unknown provider', async () => {
      const app = createApp()
      const post = (body: object, provider = 'corp') => request(app.handler).post(`/auth/oidc/${provider}/token`).set('Origin', appOrigin).send(body)
      expect((await post({ idToken: await hostile.mintIdToken({}, 'page-nonce') })).body.error.code).toBe('OIDC_RESPONSE_INVALID')
      expect((await post({ idToken: await hostile.mintIdToken({}, 'page-nonce'), nonce: 'other' })).body.error.code).toBe('OIDC_RESPONSE_INVALID')
      expect((await post({ idToken: 'not.a.jwt' })).status).toBe(401)
      expect((await post({})).status).toBe(400)
      expect((await post({ idToken: await hostile.mintIdToken({}) }, 'nobody')).status).toBe(404)
    })
  })
})
