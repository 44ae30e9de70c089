import fc from 'fast-check'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'

// What Node's HTTP client lets through in a header value: tab, printable ASCII and Latin-1.
const headerChar = fc.oneof(
  fc.constant('\t'),
  fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code)),
)
const noise = fc.string({ unit: headerChar, maxLength: 120 })

const targets = [
  ['GET', '/api/projects'],
  ['POST', '/api/projects'],
  ['GET', '/auth/session'],
  ['GET', '/auth/tokens'],
  ['POST', '/auth/tokens'],
  ['GET', '/auth/tokens/some-id'],
  ['DELETE', '/auth/tokens/some-id'],
  ['POST', '/auth/tokens/reset'],
  ['POST', '/auth/access-clients'],
  ['DELETE', '/auth/access-client'],
] as const

describe.each(frameworks)('%s: random credentials never cause a 5xx', (framework) => {
  it('Authorization, API-key, access-client and Cookie headers of any shape get a 2xx or a 4xx with a code', async () => {
    const logged: string[] = []
    const app = createTestApp(framework, { logger: { error: (message) => logged.push(message) } })
    const signup = await request(app.handler).post('/auth/signup').send({ email: 'jane@example.com', password: 'correct horse battery' })
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const apiToken = (await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'ci' })).body.token as string
    const clientToken = (await request(app.handler).post('/auth/access-clients').set('Cookie', cookie).send({ name: 'pos' })).body.token as string
    const sessionToken = cookie.split('=')[1]!

    // Real secrets, mangled ones and noise behind each prefix, so the property reaches every branch of authenticate.
    const secret = fc.oneof(
      fc.constantFrom(apiToken, clientToken, sessionToken),
      fc.tuple(fc.constantFrom(apiToken, clientToken, sessionToken), fc.nat(60), noise).map(([real, cut, tail]) => real.slice(0, cut) + tail),
      fc.tuple(fc.constantFrom('', 'ghp_', 'gha_', 'ghs_'), noise).map(([prefix, tail]) => prefix + tail),
    )
    const basic = fc
      .tuple(fc.oneof(secret, noise), fc.constantFrom('api_token', 'correct horse battery', ''), fc.boolean())
      .map(([user, pass, colon]) => `Basic ${Buffer.from(colon ? `${user}:${pass}` : user, 'latin1').toString('base64')}`)
    const authorization = fc.oneof(noise, secret.map((value) => `Bearer ${value}`), basic, noise.map((value) => `Basic ${value}`))
    const cookieHeader = fc.oneof(noise, secret.map((value) => `gatehouse_session=${value}`), noise.map((value) => `gatehouse_session=${value}`))
    const headers = fc.record(
      { authorization, 'x-api-key': fc.oneof(secret, noise), 'access-client-token': fc.oneof(secret, noise), cookie: cookieHeader },
      { requiredKeys: [] },
    )

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), headers, fc.boolean(), async ([method, path], sent, crossSite) => {
        let req = request(app.handler)[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path)
        for (const [name, value] of Object.entries(sent)) req = req.set(name, value)
        if (crossSite) req = req.set('Origin', 'https://evil.test')
        const res = await req
        expect(res.status).toBeLessThan(500)
        if (res.status >= 400) expect(res.body.error.code).toMatch(/^[A-Z_]+$/)
      }),
      { numRuns: 250 },
    )
    expect(logged).toEqual([])
  })
})
