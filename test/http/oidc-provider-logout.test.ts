import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js'
import { clientId, clientSecret, cookieOf, createOidcTestApp } from '../support/oidc-apps.js'
import { type TestOpenIdProvider, followProviderRedirects, startTestOpenIdProvider } from '../support/oidc-test-provider.js'

describe.each(frameworks)('%s: logout with a real OpenID Provider', (framework) => {
  let op: TestOpenIdProvider
  let server: LoopbackServer
  let app: ReturnType<typeof createOidcTestApp>
  let origin: string

  beforeAll(async () => {
    // The provider posts back-channel logout tokens to gatehouse, so gatehouse listens on loopback here.
    const port = await findFreePort()
    origin = `http://127.0.0.1:${port}`
    op = await startTestOpenIdProvider(
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${origin}/auth/oidc/corp/callback`],
        post_logout_redirect_uris: [`${origin}/signed-out`],
        backchannel_logout_uri: `${origin}/auth/oidc/corp/backchannel-logout`,
        backchannel_logout_session_required: true,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
      { backchannelLogout: true },
    )
    op.accounts.set('alice', { email: 'alice@example.com', emailVerified: true })
    app = createOidcTestApp(framework, { issuer: op.issuer }, {
      baseUrl: origin,
      oidc: {
        allowInsecureRequests: true,
        loginPage: '/login',
        postLogoutRedirect: '/signed-out',
        providers: [{ id: 'corp', name: 'Corp SSO', issuer: op.issuer, clientId, clientSecret }],
      },
    })
    server = await serveOnLoopback(app.handler, port)
  })

  afterAll(async () => {
    await server.close()
    await op.close()
  })

  async function signIn(jar: Map<string, string>): Promise<string> {
    op.signInAs('alice')
    const start = await request(app.handler).get('/auth/oidc/corp/login')
    const callbackUrl = await followProviderRedirects(start.headers.location!, `${origin}/auth/oidc/corp/callback`, jar)
    const callback = await request(app.handler)
      .get(callbackUrl.pathname + callbackUrl.search)
      .set('Cookie', cookieOf(start.headers['set-cookie'], 'gatehouse_oidc')!)
    expect(callback.status).toBe(302)
    return sessionCookieOf(callback.headers['set-cookie'])
  }

  it('RP-initiated logout sends the browser to end_session_endpoint with id_token_hint; the provider then logs out the other session by back-channel', async () => {
    const jar = new Map<string, string>()
    const here = await signIn(jar)
    const elsewhere = await signIn(jar)
    const logout = await request(app.handler).post('/auth/oidc/logout').set('Cookie', here).set('Origin', origin)
    expect(logout.status).toBe(302)
    const endSession = new URL(logout.headers.location!)
    expect(endSession.origin).toBe(op.issuer)
    expect(endSession.searchParams.get('client_id')).toBe(clientId)
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${origin}/signed-out`)
    expect(endSession.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3)
    expect((await request(app.handler).get('/api/me').set('Cookie', here)).status).toBe(401)
    expect((await request(app.handler).get('/api/me').set('Cookie', elsewhere)).status).toBe(200)

    // The provider's confirm page, then its form: it accepts the hint and ends its session.
    const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const page = await fetch(endSession, { headers: { cookie: cookie() } })
    const html = await page.text()
    expect(page.status).toBe(200)
    const action = /action="([^"]+)"/.exec(html)![1]!
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!
    const confirm = await fetch(new URL(action, op.issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    })
    expect(confirm.status).toBe(303)
    expect(confirm.headers.get('location')).toBe(`${origin}/signed-out`)
    expect(server.requests.some((each) => each.method === 'POST' && each.url === '/auth/oidc/corp/backchannel-logout')).toBe(true)
    expect((await request(app.handler).get('/api/me').set('Cookie', elsewhere)).status).toBe(401)
  })
})
