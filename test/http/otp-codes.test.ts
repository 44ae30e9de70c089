import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDeliveryTestApp, signUpOver } from '../support/delivery-apps.js'
import { createTestApp, frameworks } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'

function codeIn(text: string | undefined): string {
  const match = /\b(\d{6})\b/.exec(text ?? '')
  if (match === null) throw new Error(`no code in ${JSON.stringify(text)}`)
  return match[1]!
}

describe.each(frameworks)('%s: one-time codes by e-mail and SMS', (framework) => {
  async function signedIn(overrides: Parameters<typeof createDeliveryTestApp>[1] = {}) {
    const app = createDeliveryTestApp(framework, overrides)
    const cookie = await signUpOver(app, email, password)
    const user = (await app.gate.storage.users.getByEmail(email))!
    const sendCode = (body: object) => request(app.handler).post('/auth/otp').set('Cookie', cookie).set('Origin', origin).send(body)
    return { app, cookie, user, sendCode }
  }

  it('e-mails a code that confirms a sensitive action once', async () => {
    const { app, user, sendCode } = await signedIn()
    const res = await sendCode({ medium: 'email', purpose: 'delete_account' })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ sentTo: ['j***@example.com'] })
    const message = app.mailer.last(email)!
    expect(message).toMatchObject({ to: email, kind: 'otp', subject: 'Your code for app.test' })
    const code = codeIn(message.text)
    expect(message.html).toContain(code)
    expect(await app.gate.otp.verify({ userId: user.id, code, purpose: 'delete_account' })).toBe(true)
    expect(await app.gate.otp.verify({ userId: user.id, code, purpose: 'delete_account' })).toBe(false)
  })

  it('texts a code to the number the host keeps, and says where it went', async () => {
    const { app, user, sendCode } = await signedIn()
    const none = await sendCode({ medium: 'sms' })
    expect(none.status).toBe(400)
    expect(none.body.error.code).toBe('NO_PHONE_NUMBER')
    app.phones.set(email, '+44 7700 900123')
    const res = await sendCode({ medium: 'sms' })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ sentTo: ['********0123'] })
    const text = app.sms.last('+44 7700 900123')!
    expect(text.kind).toBe('otp')
    expect(text.text).toMatch(/^\d{6} is your code for app\.test\. It expires in 10 minutes\.$/)
    expect(await app.gate.otp.verify({ userId: user.id, code: codeIn(text.text) })).toBe(true)
    expect(app.mailer.messages).toHaveLength(0)
  })

  it('answers 400 MEDIUM_UNAVAILABLE for SMS without a sender, and 404 without any delivery', async () => {
    const app = createTestApp(framework, { delivery: { email: { send: async () => {} } } })
    const cookie = await signUpOver(app, email, password)
    const sms = await request(app.handler).post('/auth/otp').set('Cookie', cookie).send({ medium: 'sms' })
    expect(sms.status).toBe(400)
    expect(sms.body.error.code).toBe('MEDIUM_UNAVAILABLE')
    const bare = createTestApp(framework)
    const bareCookie = await signUpOver(bare, email, password)
    const disabled = await request(bare.handler).post('/auth/otp').set('Cookie', bareCookie).send({ medium: 'email' })
    expect(disabled.status).toBe(404)
    expect(disabled.body.error.code).toBe('FEATURE_DISABLED')
  })

  it('keeps purposes apart: a code for one purpose does not confirm another', async () => {
    const { app, user, sendCode } = await signedIn()
    await sendCode({ medium: 'email' })
    const secondFactorCode = codeIn(app.mailer.last(email)!.text)
    await sendCode({ medium: 'email', purpose: 'delete_account' })
    const deleteCode = codeIn(app.mailer.last(email)!.text)
    expect(await app.gate.otp.verify({ userId: user.id, code: secondFactorCode, purpose: 'delete_account' })).toBe(secondFactorCode === deleteCode)
    expect(await app.gate.otp.verify({ userId: user.id, code: secondFactorCode, purpose: 'second_factor' })).toBe(true)
    expect(await app.gate.otp.verify({ userId: user.id, code: deleteCode, purpose: 'delete_account' })).toBe(secondFactorCode !== deleteCode)
  })

  it('does not accept a code for another user', async () => {
    const { app, sendCode } = await signedIn()
    await signUpOver(app, 'sam@example.com', password)
    const sam = (await app.gate.storage.users.getByEmail('sam@example.com'))!
    await sendCode({ medium: 'email' })
    expect(await app.gate.otp.verify({ userId: sam.id, code: codeIn(app.mailer.last(email)!.text) })).toBe(false)
  })

  it('kills a code after five wrong tries, but four wrong tries leave it working', async () => {
    const { app, user, sendCode } = await signedIn()
    const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000')
    await sendCode({ medium: 'email' })
    const code = codeIn(app.mailer.last(email)!.text)
    for (let i = 0; i < 5; i++) expect(await app.gate.otp.verify({ userId: user.id, code: wrongFor(code) })).toBe(false)
    expect(await app.gate.otp.verify({ userId: user.id, code })).toBe(false)

    await sendCode({ medium: 'email' })
    const fresh = codeIn(app.mailer.last(email)!.text)
    for (let i = 0; i < 4; i++) expect(await app.gate.otp.verify({ userId: user.id, code: wrongFor(fresh) })).toBe(false)
    expect(await app.gate.otp.verify({ userId: user.id, code: fresh })).toBe(true)
  })

  it('counts concurrent guesses exactly: at most five are compared', async () => {
    const { app, user, sendCode } = await signedIn()
    await sendCode({ medium: 'email' })
    const code = codeIn(app.mailer.last(email)!.text)
    const guesses = Array.from({ length: 20 }, (_, i) => (i === 10 ? code : String((Number(code) + i + 1) % 1_000_000).padStart(6, '0')))
    const results = await Promise.all(guesses.map((guess) => app.gate.otp.verify({ userId: user.id, code: guess })))
    expect(results.every((result) => result === false)).toBe(true)
  })

  it('expires codes, and a new code supersedes the old one; tampered codes fail', async () => {
    const { app, user, sendCode } = await signedIn({ otp: { lifetimeSeconds: 300 } })
    await sendCode({ medium: 'email' })
    const expiring = codeIn(app.mailer.last(email)!.text)
    expect(app.mailer.last(email)!.text).toContain('5 minutes')
    app.clock.advance(301 * 1000)
    expect(await app.gate.otp.verify({ userId: user.id, code: expiring })).toBe(false)

    await sendCode({ medium: 'email' })
    const first = codeIn(app.mailer.last(email)!.text)
    await sendCode({ medium: 'email' })
    const second = codeIn(app.mailer.last(email)!.text)
    if (first !== second) expect(await app.gate.otp.verify({ userId: user.id, code: first })).toBe(false)
    const tampered = `${second.slice(0, 5)}${(Number(second[5]) + 1) % 10}`
    expect(await app.gate.otp.verify({ userId: user.id, code: tampered })).toBe(false)
    expect(await app.gate.otp.verify({ userId: user.id, code: ` ${second} ` })).toBe(true)
  })

  it('serves a session pending its second factor, for the second factor only', async () => {
    const { app, user } = await signedIn()
    const { token } = await app.gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: app.clock.now() }], pendingSecondFactor: true })
    const pending = (body: object) => request(app.handler).post('/auth/otp').set('Authorization', `Bearer ${token}`).send(body)
    const res = await pending({ medium: 'email' })
    expect(res.status).toBe(202)
    expect(await app.gate.otp.verify({ userId: user.id, code: codeIn(app.mailer.last(email)!.text), purpose: 'second_factor' })).toBe(true)
    const sensitive = await pending({ medium: 'email', purpose: 'delete_account' })
    expect(sensitive.status).toBe(403)
    expect(sensitive.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    const anonymous = await request(app.handler).post('/auth/otp').send({ medium: 'email' })
    expect(anonymous.status).toBe(401)
  })

  it('limits sends per user and per IP with 429 and Retry-After', async () => {
    const { app, sendCode } = await signedIn({ otp: { rateLimits: { perAddress: { max: 2, windowSeconds: 600 } } } })
    expect((await sendCode({ medium: 'email' })).status).toBe(202)
    expect((await sendCode({ medium: 'email' })).status).toBe(202)
    const limited = await sendCode({ medium: 'email' })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(app.mailer.messages).toHaveLength(2)

    const perIp = await signedIn({ otp: { rateLimits: { perIp: { max: 1, windowSeconds: 600 } } } })
    expect((await perIp.sendCode({ medium: 'email' })).status).toBe(202)
    expect((await perIp.sendCode({ medium: 'email' })).status).toBe(429)
  })

  it('refuses bad input with 400, cross-site cookie POSTs with 403, and stores no plain code', async () => {
    const { app, user, cookie, sendCode } = await signedIn()
    for (const body of [{}, { medium: 'fax' }, { medium: 'email', purpose: 'DROP TABLE' }, { medium: 'email', purpose: 'x'.repeat(100) }, { medium: 5 }]) {
      const res = await sendCode(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    const forged = await request(app.handler).post('/auth/otp').set('Cookie', cookie).set('Origin', 'https://evil.test').send({ medium: 'email' })
    expect(forged.status).toBe(403)
    expect(app.mailer.messages).toHaveLength(0)

    await sendCode({ medium: 'email' })
    const code = codeIn(app.mailer.last(email)!.text)
    const stored = await app.gate.storage.verifications.find('otp:second_factor', user.id, app.clock.now())
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(code)
  })

  it('answers 502 DELIVERY_FAILED when the sender fails, withdraws the code and logs no secret', async () => {
    const logged: string[] = []
    const app = createTestApp(framework, {
      delivery: { email: { send: async () => Promise.reject(new Error('SMTP 421 try later')) } },
      logger: { error: (message, meta) => logged.push(message + JSON.stringify(meta)) },
    })
    const cookie = await signUpOver(app, email, password)
    const user = (await app.gate.storage.users.getByEmail(email))!
    const res = await request(app.handler).post('/auth/otp').set('Cookie', cookie).send({ medium: 'email' })
    expect(res.status).toBe(502)
    expect(res.body.error.code).toBe('DELIVERY_FAILED')
    expect(await app.gate.storage.verifications.find('otp:second_factor', user.id, app.clock.now())).toBeNull()
    expect(logged.join('\n')).not.toMatch(/\b\d{6}\b/)
  })
})
