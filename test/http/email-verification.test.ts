import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createCaptureMailer } from '../../src/testing/index.js'
import { type DeliveryTestApp, createDeliveryTestApp, linkIn, pathOf } from '../support/delivery-apps.js'
import { fastHashing, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { tamperToken } from '../support/tamper-token.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'

async function signUp(app: DeliveryTestApp, address = email): Promise<{ cookie: string; body: Record<string, unknown> }> {
  const res = await request(app.handler).post('/auth/signup').send({ email: address, password })
  expect(res.status).toBe(201)
  return { cookie: sessionCookieOf(res.headers['set-cookie']), body: res.body }
}

/** The newest verification link mailed to `to`. */
async function mailedLink(app: DeliveryTestApp, to = email): Promise<URL> {
  await app.gate.delivery.drain()
  const message = app.mailer.last(to)
  expect(message?.kind).toBe('email_verification')
  return linkIn(message!.text)
}

const verifyJson = (app: DeliveryTestApp, link: URL, cookie?: string) => {
  const req = request(app.handler).post(pathOf(link)).set('Accept', 'application/json').send({})
  return cookie === undefined ? req : req.set('Cookie', cookie)
}

describe.each(frameworks)('%s: e-mail verification', (framework) => {
  it('sendOnSignUp mails a link; a browser GET shows a confirm page and uses nothing; the POST verifies once', async () => {
    const app = createDeliveryTestApp(framework, { emailVerification: { sendOnSignUp: true, redirectTo: '/welcome' } })
    const { cookie } = await signUp(app)
    const link = await mailedLink(app)
    expect(link.origin).toBe(origin)
    expect(link.pathname).toBe('/auth/email-verification/verify')
    const token = link.searchParams.get('token')!
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(app.mailer.last(email)!.subject).toBe('Confirm your e-mail address for app.test')

    for (const accept of ['text/html', 'application/json, text/plain, */*']) {
      const page = await request(app.handler).get(pathOf(link)).set('Accept', accept)
      expect(page.status).toBe(200)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.headers['content-security-policy']).toContain("default-src 'none'")
      expect(page.text).toContain(`name="token" value="${token}"`)
    }
    expect((await request(app.handler).get('/auth/profile').set('Cookie', cookie)).body.user.emailVerified).toBe(false)

    const confirm = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).set('Cookie', cookie).send({ token })
    expect(confirm.status).toBe(303)
    expect(confirm.headers.location).toBe('http://app.test/welcome')
    expect(confirm.headers['set-cookie']).toBeUndefined()

    // Opened with the account's own session: it keeps its session and password.
    const profile = await request(app.handler).get('/auth/profile').set('Cookie', cookie)
    expect(profile.status).toBe(200)
    expect(profile.body.user.emailVerified).toBe(true)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(200)

    const reused = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({ token })
    expect(reused.status).toBe(401)
    expect(reused.headers['content-type']).toMatch(/^text\/html/)
    const reusedJson = await verifyJson(app, link)
    expect(reusedJson.status).toBe(401)
    expect(reusedJson.body.error.code).toBe('INVALID_TOKEN')
  })

  it('no mail on sign-up without sendOnSignUp; the signed-in user asks for one; JSON GET verifies; a verified user gets 409', async () => {
    const app = createDeliveryTestApp(framework)
    const { cookie } = await signUp(app)
    await app.gate.delivery.drain()
    expect(app.mailer.messages).toHaveLength(0)

    const send = await request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    expect(send.status).toBe(202)
    expect(send.body).toEqual({ sentTo: ['j***@example.com'] })
    const link = await mailedLink(app)
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json').set('Cookie', cookie).set('Origin', origin)
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ email, emailVerified: true })

    const again = await request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('CONFLICT')
    const anonymous = await request(app.handler).post('/auth/email-verification').send({})
    expect(anonymous.status).toBe(401)
  })

  it('{ email } answers the same for unknown, verified and unverified addresses; only the unverified one gets mail', async () => {
    const app = createDeliveryTestApp(framework)
    await signUp(app)
    await signUp(app, 'done@example.com')
    expect(await app.gate.emailVerification.send({ email: 'done@example.com' })).toMatchObject({ sentTo: 'd***@example.com' })
    const token = (await mailedLink(app, 'done@example.com')).searchParams.get('token')!
    expect((await app.gate.emailVerification.verify({ token })).outcome).toBe('verified')
    app.mailer.clear()

    const answers = []
    for (const address of [email, 'nobody@example.com', 'done@example.com']) {
      const res = await request(app.handler).post('/auth/email-verification').send({ email: address })
      answers.push({ status: res.status, body: res.body, text: res.text })
    }
    expect(answers[1]).toEqual(answers[0])
    expect(answers[2]).toEqual(answers[0])
    expect(answers[0]!.status).toBe(202)
    await app.gate.delivery.drain()
    expect(app.mailer.messages.map((message) => message.to)).toEqual([email])
  })

  it('a first proof without the account\'s session ends what whoever signed up first set up', async () => {
    const app = createDeliveryTestApp(framework)
    // Someone signs up with Jane's address before she does; Jane opens a link in her own browser.
    const { cookie: planted } = await signUp(app)
    await request(app.handler).post('/auth/email-verification').send({ email })
    const res = await verifyJson(app, await mailedLink(app))
    expect(res.status).toBe(200)
    expect(res.body.user.emailVerified).toBe(true)
    expect((await request(app.handler).get('/auth/profile').set('Cookie', planted)).status).toBe(401)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(401)
  })

  it('expired and superseded links get 401; tampered ones too', async () => {
    const app = createDeliveryTestApp(framework, { emailVerification: { ttlSeconds: 120 } })
    const { cookie } = await signUp(app)
    const ask = () => request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    expect((await ask()).status).toBe(202)
    const expiring = await mailedLink(app)
    app.clock.advance(121 * 1000)
    expect((await verifyJson(app, expiring, cookie)).status).toBe(401)

    await ask()
    const first = await mailedLink(app)
    await ask()
    const second = await mailedLink(app)
    expect((await verifyJson(app, first, cookie)).status).toBe(401)
    const tampered = new URL(second)
    tampered.searchParams.set('token', tamperToken(second.searchParams.get('token')!))
    expect((await verifyJson(app, tampered, cookie)).status).toBe(401)
    expect((await verifyJson(app, second, cookie)).status).toBe(200)
  })

  it('of many parallel uses of one link exactly one verifies', async () => {
    const app = createDeliveryTestApp(framework)
    const { cookie } = await signUp(app)
    await request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    const link = await mailedLink(app)
    const results = await Promise.all(Array.from({ length: 12 }, () => verifyJson(app, link, cookie)))
    expect(results.map((res) => res.status).sort()).toEqual([200, ...Array(11).fill(401)])
  })

  it('sending is rate-limited per account and per IP', async () => {
    const app = createDeliveryTestApp(framework, { emailVerification: { rateLimits: { perUser: { max: 2, windowSeconds: 60 }, perIp: { max: 3, windowSeconds: 60 } } } })
    const { cookie } = await signUp(app)
    const ask = () => request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    expect((await ask()).status).toBe(202)
    expect((await ask()).status).toBe(202)
    const limited = await ask()
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBeDefined()
    const byAddress = (address: string) => request(app.handler).post('/auth/email-verification').set('X-Forwarded-For', '127.0.0.9').send({ email: address })
    expect((await byAddress('a@example.com')).status).toBe(202)
    expect((await byAddress('b@example.com')).status).toBe(202)
    expect((await byAddress('c@example.com')).status).toBe(202)
    expect((await byAddress('d@example.com')).status).toBe(429)
  })

  it('required: an unverified user may only verify, ask again and sign out', async () => {
    const app = createDeliveryTestApp(framework, { emailVerification: { required: true } })
    const signup = await request(app.handler).post('/auth/signup').send({ email, password })
    expect(signup.status).toBe(201)
    expect(signup.body).toEqual({ pending: true, secondFactors: [], emailVerificationRequired: true })
    const cookie = sessionCookieOf(signup.headers['set-cookie'])

    for (const res of [
      await request(app.handler).get('/api/projects').set('Cookie', cookie),
      await request(app.handler).get('/auth/profile').set('Cookie', cookie),
      await request(app.handler).get('/auth/session').set('Cookie', cookie),
      await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 'ci' }),
      await request(app.handler).get('/api/projects').auth(email, password),
    ]) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('EMAIL_NOT_VERIFIED')
    }
    const login = await request(app.handler).post('/auth/session').send({ email, password })
    expect(login.status).toBe(200)
    expect(login.body).toEqual({ pending: true, secondFactors: [], emailVerificationRequired: true })

    // sendOnSignUp follows required; asking again supersedes that link.
    expect((await mailedLink(app)).pathname).toBe('/auth/email-verification/verify')
    const resend = await request(app.handler).post('/auth/email-verification').set('Cookie', cookie).set('Origin', origin).send({})
    expect(resend.status).toBe(202)
    expect((await verifyJson(app, await mailedLink(app), cookie)).status).toBe(200)

    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    expect((await request(app.handler).get('/auth/profile').set('Cookie', cookie)).body.user.emailVerified).toBe(true)
    const after = await request(app.handler).post('/auth/session').send({ email, password })
    expect(after.body.user).toMatchObject({ email, emailVerified: true })
    expect((await request(app.handler).delete('/auth/session').set('Cookie', cookie).set('Origin', origin)).status).toBe(204)
  })

  it('an e-mail change waits for the new address to be proven, then the old one is told', async () => {
    const app = createDeliveryTestApp(framework)
    const { cookie } = await signUp(app)
    const newEmail = 'jane.new@example.com'
    const change = (body: object) => request(app.handler).patch('/auth/profile').set('Cookie', cookie).set('Origin', origin).send(body)

    expect((await change({ email: newEmail })).status).toBe(400)
    expect((await change({ email: newEmail, currentPassword: 'wrong password here' })).status).toBe(401)
    const res = await change({ email: ` ${newEmail.toUpperCase()} `, currentPassword: password })
    expect(res.status).toBe(200)
    expect(res.body.user.email).toBe(email)
    expect(res.body.emailChange).toEqual({ pending: true, sentTo: 'j***@example.com' })
    const link = await mailedLink(app, newEmail)
    expect(app.mailer.last(newEmail)!.text).toContain('move your account')
    expect((await request(app.handler).post('/auth/session').send({ email: newEmail, password })).status).toBe(401)

    const verified = await verifyJson(app, link)
    expect(verified.status).toBe(200)
    expect(verified.body.user).toMatchObject({ email: newEmail, emailVerified: true })
    await app.gate.delivery.drain()
    const notice = app.mailer.last(email)
    expect(notice?.kind).toBe('email_changed')
    expect(notice?.text).toContain('j***@example.com')
    expect(notice?.text).not.toContain(newEmail)
    expect((await request(app.handler).post('/auth/session').send({ email: newEmail, password })).status).toBe(200)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(401)
    // The session survives the move.
    expect((await request(app.handler).get('/auth/profile').set('Cookie', cookie)).body.user.email).toBe(newEmail)
    expect((await verifyJson(app, link)).status).toBe(401)
  })

  it('an e-mail change to an address taken before or meanwhile is 409 and changes nothing', async () => {
    const app = createDeliveryTestApp(framework)
    const { cookie } = await signUp(app)
    await signUp(app, 'taken@example.com')
    const change = (address: string) =>
      request(app.handler).patch('/auth/profile').set('Cookie', cookie).set('Origin', origin).send({ email: address, currentPassword: password })
    expect((await change('taken@example.com')).status).toBe(409)

    expect((await change('later@example.com')).status).toBe(200)
    const link = await mailedLink(app, 'later@example.com')
    await signUp(app, 'later@example.com')
    const res = await verifyJson(app, link)
    expect(res.status).toBe(409)
    expect((await request(app.handler).get('/auth/profile').set('Cookie', cookie)).body.user.email).toBe(email)
  })

  it('is 404 FEATURE_DISABLED without delivery.email', async () => {
    const app = createDeliveryTestApp(framework, { delivery: { email: undefined } })
    const res = await request(app.handler).post('/auth/email-verification').send({ email })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('FEATURE_DISABLED')
  })
})

describe('emailVerification options', () => {
  const make = (emailVerification: unknown, withMailer = true) =>
    createGatehouse({
      baseUrl: 'https://app.example.com',
      passwords: fastHashing,
      logger: { warn: () => {}, error: () => {} },
      ...(withMailer ? { delivery: { email: createCaptureMailer() } } : {}),
      emailVerification,
    } as GatehouseOptions)

  it('are validated once at createGatehouse', () => {
    expect(() => make({ required: true }, false)).toThrow(ConfigError)
    expect(() => make({ required: true, enabled: false })).toThrow(ConfigError)
    expect(() => make({ ttlSeconds: 0 })).toThrow(ConfigError)
    expect(() => make({ ttlSeconds: 8 * 24 * 3600 })).toThrow(ConfigError)
    expect(() => make({ redirectTo: 'https://evil.example' })).toThrow(ConfigError)
    expect(() => make({ sendOnSignup: true })).toThrow(ConfigError)
    expect(() => make({ required: true, ttlSeconds: 3600 })).not.toThrow()
  })
})
