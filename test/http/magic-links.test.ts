import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { EmailMessage, Mailer } from '../../src/index.js'
import { createDeliveryTestApp, linkIn, pathOf, signUpOver, stableHeaders } from '../support/delivery-apps.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { settleWithin } from '../support/settle-within.js'
import { tamperToken } from '../support/tamper-token.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'

describe.each(frameworks)('%s: magic links', (framework) => {
  async function sentLink(app: ReturnType<typeof createDeliveryTestApp>, body: object = { email }) {
    const res = await request(app.handler).post('/auth/magic-link').send(body)
    expect(res.status).toBe(202)
    await app.gate.delivery.drain()
    const message = app.mailer.last(email)
    expect(message).toBeDefined()
    return linkIn(message!.text)
  }

  it('browser flow: the mail links to a confirm page; GET does not use it up; POST signs in and redirects', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const link = await sentLink(app, { email: ' Jane@Example.com ', redirectTo: '/projects?tab=1' })
    const message = app.mailer.last(email)!
    expect(message).toMatchObject({ to: email, kind: 'magic_link', subject: 'Your sign-in link for app.test' })
    expect(message.text).toContain('10 minutes')
    expect(message.html).toContain(`href="${link.href.replaceAll('&', '&amp;')}"`)
    expect(link.origin).toBe(origin)
    expect(link.pathname).toBe('/auth/magic-link/verify')
    const token = link.searchParams.get('token')!
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)

    for (let i = 0; i < 2; i++) {
      const page = await request(app.handler).get(pathOf(link)).set('Accept', 'text/html')
      expect(page.status).toBe(200)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.headers['content-security-policy']).toContain("default-src 'none'")
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(page.headers['referrer-policy']).toBe('no-referrer')
      expect(page.text).toContain('<form method="post">')
      expect(page.text).toContain(`name="token" value="${token}"`)
      expect(page.headers['set-cookie']).toBeUndefined()
    }

    const confirm = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({ token })
    expect(confirm.status).toBe(303)
    expect(confirm.headers.location).toBe('http://app.test/projects?tab=1')
    const cookie = sessionCookieOf(confirm.headers['set-cookie'])
    const projects = await request(app.handler).get('/api/projects').set('Cookie', cookie)
    expect(projects.status).toBe(200)
    expect(projects.body.owner).toBe(email)

    const reused = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({ token })
    expect(reused.status).toBe(401)
    expect(reused.headers['content-type']).toMatch(/^text\/html/)
    expect(reused.headers['set-cookie']).toBeUndefined()
    const reusedJson = await request(app.handler).post(pathOf(link)).set('Accept', 'application/json').send({})
    expect(reusedJson.status).toBe(401)
    expect(reusedJson.body.error.code).toBe('INVALID_TOKEN')
  })

  it('JSON flow: GET with Accept: application/json uses the link up and answers { user, session }', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const link = await sentLink(app)
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email, emailVerified: true })
    expect(res.body.session.id).toEqual(expect.any(String))
    const current = await request(app.handler).get('/auth/session').set('Cookie', sessionCookieOf(res.headers['set-cookie']))
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['magic_link'])
    const again = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json')
    expect(again.status).toBe(401)
    expect(again.body.error.code).toBe('INVALID_TOKEN')
  })

  // Preview bots fetch links with HTTP clients whose default Accept names JSON among others (axios's).
  it.each([
    'application/json, text/plain, */*',
    '*/*',
    'application/json, */*;q=0.1',
    'text/html, application/json',
    'application/*',
  ])('GET with Accept %j gets the confirm page and leaves the link usable', async (accept) => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const link = await sentLink(app)
    const page = await request(app.handler).get(pathOf(link)).set('Accept', accept)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['set-cookie']).toBeUndefined()
    const confirm = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({})
    expect(confirm.status).toBe(303)
  })

  it.each(['application/json', 'Application/JSON; charset=utf-8', 'application/json, text/plain'])(
    'GET with Accept %j uses the link up',
    async (accept) => {
      const app = createDeliveryTestApp(framework)
      await signUpOver(app, email, password)
      const res = await request(app.handler).get(pathOf(await sentLink(app))).set('Accept', accept)
      expect(res.status).toBe(200)
      expect(res.body.user).toMatchObject({ email })
    },
  )

  it('expired, superseded, tampered and wrong-purpose tokens get 401', async () => {
    const app = createDeliveryTestApp(framework, { magicLinks: { lifetimeSeconds: 120 } })
    await signUpOver(app, email, password)
    const json = (url: URL) => request(app.handler).get(pathOf(url)).set('Accept', 'application/json')

    const expiring = await sentLink(app)
    app.clock.advance(121 * 1000)
    expect((await json(expiring)).status).toBe(401)

    const first = await sentLink(app)
    const second = await sentLink(app)
    expect((await json(first)).status).toBe(401)

    const token = second.searchParams.get('token')!
    const tampered = new URL(second)
    tampered.searchParams.set('token', tamperToken(token))
    expect((await json(tampered)).status).toBe(401)

    await request(app.handler).post('/auth/password-reset').send({ email })
    await app.gate.delivery.drain()
    const resetKey = linkIn(app.mailer.last(email)!.text).searchParams.get('key')!
    const resetAsLink = new URL(second)
    resetAsLink.searchParams.set('token', resetKey)
    expect((await json(resetAsLink)).status).toBe(401)
    const asReset = await request(app.handler).get(`/auth/password-reset?key=${encodeURIComponent(token)}`)
    expect(asReset.status).toBe(401)

    expect((await json(second)).status).toBe(200)
  })

  it('answers known and unknown addresses alike, sends nothing to unknown ones and creates no account', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const known = await request(app.handler).post('/auth/magic-link').send({ email })
    const unknown = await request(app.handler).post('/auth/magic-link').send({ email: 'nobody@example.com' })
    expect(unknown.status).toBe(202)
    expect(unknown.status).toBe(known.status)
    expect(unknown.text).toBe(known.text)
    expect(stableHeaders(unknown.headers)).toEqual(stableHeaders(known.headers))
    await app.gate.delivery.drain()
    expect(app.mailer.messages.map((message) => message.to)).toEqual([email])
    expect(await app.gate.storage.users.getByEmail('nobody@example.com')).toBeNull()
  })

  it('does not wait for the mailer on the request path, and takes about as long for unknown addresses', async () => {
    const started: EmailMessage[] = []
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let called: () => void = () => {}
    const mailerCalled = new Promise<void>((resolve) => {
      called = resolve
    })
    const slowMailer: Mailer = {
      async send(message) {
        started.push(message)
        called()
        await held
      },
    }
    const app = createDeliveryTestApp(framework, { delivery: { email: slowMailer }, magicLinks: { rateLimits: { perIp: { max: 1000, windowSeconds: 60 } } } })
    await signUpOver(app, email, password)
    const answered = await request(app.handler).post('/auth/magic-link').send({ email }).timeout(3000)
    expect(answered.status).toBe(202)
    await settleWithin(mailerCalled, 5000, 'the mailer being called') // after the answer, which did not wait for it
    expect(started).toHaveLength(1)
    release()
    await app.gate.delivery.drain()

    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const time = async (address: string) => {
      const begin = performance.now()
      const res = await request(app.handler).post('/auth/magic-link').send({ email: address })
      expect(res.status).toBe(202)
      return performance.now() - begin
    }
    const knownTimes: number[] = []
    const unknownTimes: number[] = []
    for (let run = 0; run < 4; run++) {
      knownTimes.push(await time(email))
      unknownTimes.push(await time(`nobody${run}@example.com`))
    }
    expect(Math.abs(median(knownTimes) - median(unknownTimes))).toBeLessThan(25)
  })

  it.each([
    '//evil.test/x',
    '/\\evil.test',
    '/\t/evil.test',
    'https://evil.test/welcome',
    'http://app.test@evil.test/',
    'https://user:pass@app.test/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.test',
    '',
  ])('refuses the open redirect %j with 400 and sends nothing', async (redirectTo) => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const res = await request(app.handler).post('/auth/magic-link').send({ email, redirectTo })
    expect(res.status).toBe(400)
    expect(['INVALID_REDIRECT', 'INVALID_REQUEST']).toContain(res.body.error.code)
    await app.gate.delivery.drain()
    expect(app.mailer.messages).toHaveLength(0)
  })

  it('redirects to an allow-listed origin, and the confirm page may post there', async () => {
    const app = createDeliveryTestApp(framework, { magicLinks: { allowedRedirectOrigins: ['https://front.test'] } })
    await signUpOver(app, email, password)
    const link = await sentLink(app, { email, redirectTo: 'https://front.test/welcome' })
    const page = await request(app.handler).get(pathOf(link))
    expect(page.headers['content-security-policy']).toContain("form-action 'self' http://app.test https://front.test")
    const confirm = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({})
    expect(confirm.status).toBe(303)
    expect(confirm.headers.location).toBe('https://front.test/welcome')
  })

  it('escapes what it puts in the confirm page', async () => {
    const app = createDeliveryTestApp(framework)
    const res = await request(app.handler).get(`/auth/magic-link/verify?token=${encodeURIComponent('"><script>alert(1)</script>')}`)
    expect(res.status).toBe(200)
    expect(res.text).not.toContain('<script>')
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
  })

  it('refuses a confirm POST from another origin, a cross-site scripted GET, and does not use a link up on HEAD', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const link = await sentLink(app)
    const forged = await request(app.handler).post(pathOf(link)).type('form').set('Origin', 'https://evil.test').send({})
    expect(forged.status).toBe(403)
    expect(forged.body.error.code).toBe('CSRF_REJECTED')
    const scripted = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json').set('Sec-Fetch-Site', 'cross-site')
    expect(scripted.status).toBe(403)
    expect(scripted.body.error.code).toBe('CSRF_REJECTED')
    const head = await request(app.handler).head(pathOf(link)).set('Accept', 'application/json')
    expect(head.status).toBe(200)
    expect((await request(app.handler).get(pathOf(link)).set('Accept', 'application/json')).status).toBe(200)
  })

  // The confirm page sends no Referer, so a browser posts its form with `Origin: null`.
  it.each([
    ['same-origin', 303],
    ['same-site', 403],
    ['cross-site', 403],
    ['none', 403],
    [undefined, 403],
  ] as const)('decides a confirm POST with Origin: null by Sec-Fetch-Site %s', async (site, status) => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const link = await sentLink(app)
    const post = request(app.handler).post(pathOf(link)).type('form').set('Origin', 'null')
    if (site !== undefined) post.set('Sec-Fetch-Site', site)
    const res = await post.send({})
    expect(res.status).toBe(status)
    if (status === 403) {
      expect(res.body.error.code).toBe('CSRF_REJECTED')
      expect(res.headers['set-cookie']).toBeUndefined()
      // A refused POST leaves the link usable.
      expect((await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({})).status).toBe(303)
    } else {
      expect(res.headers.location).toBe('http://app.test/')
      const projects = await request(app.handler).get('/api/projects').set('Cookie', sessionCookieOf(res.headers['set-cookie']))
      expect(projects.status).toBe(200)
    }
  })

  it('takes the token from the query of a POST without body or Content-Type', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const res = await request(app.handler).post(pathOf(await sentLink(app))).set('Accept', 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email })
  })

  it('creates the account on first use only when createUsers is on', async () => {
    const closed = createDeliveryTestApp(framework)
    expect((await request(closed.handler).post('/auth/magic-link').send({ email })).status).toBe(202)
    await closed.gate.delivery.drain()
    expect(closed.mailer.messages).toHaveLength(0)

    const open = createDeliveryTestApp(framework, { magicLinks: { createUsers: true } })
    const link = await sentLink(open)
    expect(await open.gate.storage.users.getByEmail(email)).toBeNull()
    const res = await request(open.handler).post(pathOf(link)).set('Accept', 'application/json').send({})
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email, emailVerified: true })
    expect((await open.gate.storage.users.getByEmail(email))?.passwordHash).toBeNull()
  })

  it('voids a link sent to an address the account no longer has', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    const link = await sentLink(app)
    const moved = await request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ email: 'new@example.com', currentPassword: password })
    expect(moved.status).toBe(200)
    // The move takes effect once the new address is proven.
    await app.gate.delivery.drain()
    const change = linkIn(app.mailer.last('new@example.com')!.text)
    expect((await request(app.handler).post(pathOf(change)).set('Accept', 'application/json').send({})).status).toBe(200)
    expect((await request(app.handler).get(pathOf(link)).set('Accept', 'application/json')).status).toBe(401)
  })

  it('limits sends per address and per IP with 429 and Retry-After, known or not', async () => {
    const app = createDeliveryTestApp(framework, {
      magicLinks: { rateLimits: { perAddress: { max: 2, windowSeconds: 600 }, perIp: { max: 5, windowSeconds: 600 } } },
    })
    await signUpOver(app, email, password)
    for (const address of [email, 'nobody@example.com']) {
      for (let i = 0; i < 2; i++) expect((await request(app.handler).post('/auth/magic-link').send({ email: address })).status).toBe(202)
      const limited = await request(app.handler).post('/auth/magic-link').send({ email: address })
      expect(limited.status).toBe(429)
      expect(limited.body.error.code).toBe('RATE_LIMITED')
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    }
    // 6 hits from this IP so far: the IP limit (5) now refuses a fresh address too.
    expect((await request(app.handler).post('/auth/magic-link').send({ email: 'third@example.com' })).status).toBe(429)
    app.clock.advance(601 * 1000)
    expect((await request(app.handler).post('/auth/magic-link').send({ email })).status).toBe(202)
  })

  it('answers bad input with 400 and a disabled feature with 404', async () => {
    const app = createDeliveryTestApp(framework)
    for (const body of [{}, { email: 5 }, { email: 'not-an-address' }, { email, locale: '<script>' }, { email, redirectTo: 'x'.repeat(5000) }]) {
      const res = await request(app.handler).post('/auth/magic-link').send(body)
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    expect((await request(app.handler).get('/auth/magic-link/verify')).status).toBe(400)
    expect((await request(app.handler).get(`/auth/magic-link/verify?token=${'a'.repeat(300)}`)).status).toBe(400)

    const bare = createTestApp(framework)
    const disabled = await request(bare.handler).post('/auth/magic-link').send({ email })
    expect(disabled.status).toBe(404)
    expect(disabled.body.error.code).toBe('FEATURE_DISABLED')
    expect((await request(bare.handler).get('/auth/login-options')).body).toMatchObject({ magicLink: false, otp: [] })
    expect((await request(app.handler).get('/auth/login-options')).body).toMatchObject({ magicLink: true, otp: ['email', 'sms'] })
  })
})

describe('magic links for server-to-server routes (gate.magicLinks)', () => {
  it('sends by user id and consumes a token to the user, as Lagrello does', async () => {
    const app = createDeliveryTestApp('express')
    await signUpOver(app, email, password)
    const user = (await app.gate.storage.users.getByEmail(email))!
    const sent = await app.gate.magicLinks.send({ userId: user.id })
    expect(sent).toEqual({ sentTo: 'j***@example.com', expiresAt: app.clock.now() + 600_000 })
    expect(await app.gate.magicLinks.send({ userId: 'unknown-id' })).toBeNull()
    const token = linkIn(app.mailer.last(email)!.text).searchParams.get('token')!
    const consumed = await app.gate.magicLinks.consume({ token })
    expect(consumed.user.id).toBe(user.id)
    expect(consumed.redirectTo).toBe('http://app.test/')
    await expect(app.gate.magicLinks.consume({ token })).rejects.toMatchObject({ code: 'INVALID_TOKEN', status: 401 })
    await expect(app.gate.magicLinks.send({ email, redirectTo: '//evil.test' })).rejects.toMatchObject({ code: 'INVALID_REDIRECT' })
  })

  it('lets exactly one of concurrent uses of a link through', async () => {
    const app = createDeliveryTestApp('express')
    await signUpOver(app, email, password)
    await app.gate.magicLinks.send({ email })
    const token = linkIn(app.mailer.last(email)!.text).searchParams.get('token')!
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => app.gate.magicLinks.consume({ token })))
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
  })
})
