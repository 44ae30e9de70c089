import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse } from '../../src/index.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { type HostileProvider, useHostileProvider } from '../support/hostile-oidc-provider.js'
import { appOrigin, callbackUrlOf, clientId, clientSecret, createOidcTestApp } from '../support/oidc-apps.js'

const secret = 'a secret of at least thirty-two characters'
const provider = { id: 'corp', name: 'Corp', issuer: 'https://idp.example.com', clientId, clientSecret }

describe('oidc options', () => {
  const environment = process.env.NODE_ENV
  afterEach(() => {
    process.env.NODE_ENV = environment
  })

  function problemsOf(oidc: unknown): string[] {
    try {
      createGatehouse({ baseUrl: appOrigin, secret, oidc: oidc as never })
    } catch (error) {
      if (error instanceof ConfigError) return error.problems
      throw error
    }
    return []
  }

  it('accepts a provider and refuses what would weaken it, each problem named', () => {
    expect(problemsOf({ providers: [provider] })).toEqual([])
    expect(problemsOf({ providers: [{ ...provider, idTokenSigningAlg: 'none' }] }).join('\n')).toMatch(/oidc.providers.0.idTokenSigningAlg/)
    expect(problemsOf({ providers: [{ ...provider, idTokenSigningAlg: 'HS256' }] }).join('\n')).toMatch(/HS\* are refused/)
    expect(problemsOf({ providers: [{ ...provider, clientSecret: undefined }] })).toEqual(['oidc.providers.0.clientSecret: is required for client_secret_basic'])
    expect(problemsOf({ providers: [{ ...provider, tokenEndpointAuthMethod: 'private_key_jwt' }] })).toEqual([
      'oidc.providers.0.privateKeyJwk: is required for private_key_jwt',
    ])
    expect(problemsOf({ providers: [provider, provider] })).toEqual(["oidc.providers.1.id: 'corp' is used twice"])
    expect(problemsOf({ providers: [{ ...provider, issuer: 'http://127.0.0.1:4000' }] }).join('\n')).toMatch(/oidc.providers.0.issuer: is http/)
    expect(problemsOf({ providers: [{ ...provider, id: 'no spaces' }] }).join('\n')).toMatch(/oidc.providers.0.id/)
    expect(problemsOf({ providers: [], loginPage: '//evil.test' }).join('\n')).toMatch(/oidc.loginPage/)
  })

  it('refuses allowInsecureRequests with NODE_ENV=production', () => {
    const insecure = { allowInsecureRequests: true, providers: [{ ...provider, issuer: 'http://127.0.0.1:4000' }] }
    expect(problemsOf(insecure)).toEqual([])
    process.env.NODE_ENV = 'production'
    expect(problemsOf(insecure)).toEqual(['oidc.allowInsecureRequests: is for loopback test providers and is refused with NODE_ENV=production'])
  })

  it('without oidc options, gate.oidc.start answers 404 OIDC_PROVIDER_UNKNOWN', async () => {
    const gate = createGatehouse({ baseUrl: appOrigin, secret })
    await expect(gate.oidc.start({ provider: 'corp' })).rejects.toMatchObject({ code: 'OIDC_PROVIDER_UNKNOWN', status: 404 })
  })
})

let hostile: HostileProvider

useHostileProvider({ clientId, clientSecret, redirectUri: callbackUrlOf() }, (started) => (hostile = started))
beforeEach(() => hostile.reset())

describe.each(frameworks)('%s: gate.oidc for hosts with their own routes', (framework) => {
  function createApp() {
    const app = createOidcTestApp(framework, { issuer: hostile.issuer })
    hostile.now = () => app.clock.now()
    return app
  }

  /** What the provider sends the browser back to, after `start` or `link`. */
  async function callbackFor(url: string): Promise<URL> {
    const authorize = await fetch(url, { redirect: 'manual' })
    return new URL(authorize.headers.get('location')!)
  }

  it('start and callback sign in without a session being begun; the state must be the one start gave', async () => {
    const { gate } = createApp()
    const started = await gate.oidc.start({ provider: 'corp', returnTo: '/welcome' })
    expect(started.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const callbackUrl = await callbackFor(started.url)
    await expect(gate.oidc.callback({ provider: 'corp', callbackUrl, state: undefined })).rejects.toMatchObject({ code: 'OIDC_STATE_INVALID' })
    const finished = await gate.oidc.callback({ provider: 'corp', callbackUrl, state: started.state })
    expect(finished).toMatchObject({ returnTo: `${appOrigin}/welcome`, linked: false, user: { email: 'mallory@example.com', emailVerified: true } })
    expect(await gate.sessions.list({ userId: finished.user.id })).toEqual([])
    await expect(gate.oidc.callback({ provider: 'corp', callbackUrl, state: started.state })).rejects.toMatchObject({ code: 'OIDC_STATE_INVALID' })
    await expect(gate.oidc.start({ provider: 'corp', returnTo: 'https://evil.test/' })).rejects.toMatchObject({ code: 'INVALID_REDIRECT' })
  })

  it('link attaches the identity to the given user; listIdentities and unlinkIdentity work on it', async () => {
    const { gate, handler } = createApp()
    const signup = await request(handler).post('/auth/signup').send({ email: 'owner@example.com', password: 'correct horse battery' })
    const userId = signup.body.user.id
    const started = await gate.oidc.link({ provider: 'corp', userId })
    const finished = await gate.oidc.callback({ provider: 'corp', callbackUrl: await callbackFor(started.url), state: started.state })
    expect(finished).toMatchObject({ linked: true, user: { id: userId } })
    const [identity] = await gate.oidc.listIdentities({ userId })
    expect(identity).toMatchObject({ provider: 'corp', subject: 'hostile-subject', email: 'mallory@example.com' })
    await gate.oidc.unlinkIdentity({ userId, identityId: identity!.id })
    expect(await gate.oidc.listIdentities({ userId })).toEqual([])
  })

  it('signInWithIdToken answers the user; an expired token is TOKEN_EXPIRED', async () => {
    const app = createApp()
    const { user } = await app.gate.oidc.signInWithIdToken({ provider: 'corp', idToken: await hostile.mintIdToken({}) })
    expect(user.email).toBe('mallory@example.com')
    const seconds = Math.floor(app.clock.now() / 1000)
    const expired = await hostile.mintIdToken({ claims: { iat: seconds - 900, exp: seconds - 600 } })
    await expect(app.gate.oidc.signInWithIdToken({ provider: 'corp', idToken: expired })).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 })
  })

  it('unregister removes the identities, so the provider account can sign up afresh', async () => {
    const app = createApp()
    const first = await request(app.handler).post('/auth/oidc/corp/token').set('Origin', appOrigin).send({ idToken: await hostile.mintIdToken({}) })
    const cookie = sessionCookieOf(first.headers['set-cookie'])
    const gone = await request(app.handler).post('/auth/unregister').set('Cookie', cookie).set('Origin', appOrigin).send({})
    expect(gone.status).toBe(204)
    expect(await app.gate.oidc.listIdentities({ userId: first.body.user.id })).toEqual([])
    const again = await request(app.handler).post('/auth/oidc/corp/token').set('Origin', appOrigin).send({ idToken: await hostile.mintIdToken({}) })
    expect(again.status).toBe(200)
    expect(again.body.user.id).not.toBe(first.body.user.id)
  })
})
