import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDeliveryTestApp, linkIn, signUpOver, stableHeaders } from '../support/delivery-apps.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { tamperToken } from '../support/tamper-token.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const newPassword = 'a brand new passphrase'

describe.each(frameworks)('%s: forgotten-password reset', (framework) => {
  async function requestedKey(app: ReturnType<typeof createDeliveryTestApp>, address = email) {
    const res = await request(app.handler).post('/auth/password-reset').send({ email: address })
    expect(res.status).toBe(202)
    await app.gate.delivery.drain()
    return linkIn(app.mailer.last(email)?.text).searchParams.get('key')!
  }
  const info = (app: ReturnType<typeof createDeliveryTestApp>, key: string) =>
    request(app.handler).get(`/auth/password-reset?key=${encodeURIComponent(key)}`)
  const complete = (app: ReturnType<typeof createDeliveryTestApp>, key: string, chosen = newPassword) =>
    request(app.handler).post('/auth/password-reset/complete').send({ key, newPassword: chosen })

  it('mails a link, shows the masked address without using the key, sets the password and ends every session', async () => {
    const app = createDeliveryTestApp(framework)
    const first = await signUpOver(app, email, password)
    const second = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    const key = await requestedKey(app, ' JANE@example.com ')
    const message = app.mailer.last(email)!
    expect(message).toMatchObject({ kind: 'password_reset', subject: 'Reset your password for app.test' })
    expect(message.text).toContain('60 minutes')
    const link = linkIn(message.text)
    expect(`${link.origin}${link.pathname}`).toBe('http://app.test/auth/password-reset')

    for (let i = 0; i < 2; i++) {
      const shown = await info(app, key)
      expect(shown.status).toBe(200)
      expect(shown.body).toEqual({ email: 'j***@example.com', passwordPolicy: { minLength: 8, maxLength: 128 } })
    }
    const weak = await complete(app, key, 'short')
    expect(weak.status).toBe(400)
    expect(weak.body.error.code).toBe('WEAK_PASSWORD')
    expect(weak.body.error.details).toEqual([{ path: 'newPassword', message: 'must be at least 8 characters' }])
    expect((await info(app, key)).status).toBe(200)

    expect((await complete(app, key)).status).toBe(204)
    for (const cookie of [first, second]) expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(401)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(401)
    const login = await request(app.handler).post('/auth/session').send({ email, password: newPassword })
    expect(login.status).toBe(200)
    expect(login.body.user.emailVerified).toBe(true)

    const reused = await complete(app, key, 'yet another passphrase')
    expect(reused.status).toBe(401)
    expect(reused.body.error.code).toBe('INVALID_TOKEN')
    expect((await info(app, key)).status).toBe(401)
  })

  it('revokes the API tokens too (tokens.revokeOnPasswordChange defaults to true)', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    const created = await request(app.handler).post('/auth/tokens').set('Cookie', cookie).send({ name: 'ci' })
    expect(created.status).toBe(201)
    const bearer = `Bearer ${created.body.token}`
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(200)
    expect((await complete(app, await requestedKey(app))).status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Authorization', bearer)).status).toBe(401)
  })

  it('refuses expired, superseded, tampered and malformed keys', async () => {
    const app = createDeliveryTestApp(framework, { passwordReset: { lifetimeSeconds: 1800 } })
    await signUpOver(app, email, password)
    const expiring = await requestedKey(app)
    app.clock.advance(1801 * 1000)
    expect((await info(app, expiring)).status).toBe(401)
    expect((await complete(app, expiring)).status).toBe(401)

    const older = await requestedKey(app)
    const newer = await requestedKey(app)
    expect((await info(app, older)).status).toBe(401)
    expect((await complete(app, older)).status).toBe(401)

    const tampered = tamperToken(newer)
    for (const bad of [tampered, 'abc', '.', `${newer.split('.')[0]}.`, `other-user.${newer.split('.')[1]}`]) {
      const res = await info(app, bad)
      expect(res.status, bad).toBe(401)
      expect(res.body.error.code).toBe('INVALID_TOKEN')
    }
    expect((await request(app.handler).get('/auth/password-reset')).status).toBe(400)
    expect((await complete(app, newer)).status).toBe(204)
  })

  it('answers known and unknown addresses alike and mails only the known one', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const known = await request(app.handler).post('/auth/password-reset').send({ email })
    const unknown = await request(app.handler).post('/auth/password-reset').send({ email: 'nobody@example.com' })
    expect(unknown.status).toBe(202)
    expect(unknown.status).toBe(known.status)
    expect(unknown.text).toBe(known.text)
    expect(stableHeaders(unknown.headers)).toEqual(stableHeaders(known.headers))
    await app.gate.delivery.drain()
    expect(app.mailer.messages.map((message) => message.to)).toEqual([email])
  })

  it('limits requests per address and per IP with 429 and Retry-After', async () => {
    const app = createDeliveryTestApp(framework, {
      passwordReset: { rateLimits: { perAddress: { max: 1, windowSeconds: 3600 }, perIp: { max: 3, windowSeconds: 3600 } } },
    })
    await signUpOver(app, email, password)
    const send = (address: string) => request(app.handler).post('/auth/password-reset').send({ email: address })
    expect((await send(email)).status).toBe(202)
    const limited = await send(email)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3000)
    expect((await send('a@example.com')).status).toBe(202)
    expect((await send('b@example.com')).status).toBe(429) // the fourth from this IP
  })

  it('lets exactly one of concurrent completions through', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const key = await requestedKey(app)
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => complete(app, key, `${newPassword} ${i}`)))
    expect(results.map((res) => res.status).sort()).toEqual([204, 401, 401, 401, 401])
  })

  it('refuses bad input with 400 and answers 404 when not configured', async () => {
    const app = createDeliveryTestApp(framework)
    for (const body of [{}, { email: 'nope' }, { email: ['a'] }]) {
      expect((await request(app.handler).post('/auth/password-reset').send(body)).status).toBe(400)
    }
    for (const body of [{}, { key: 'k' }, { key: 5, newPassword }, { key: 'x'.repeat(600), newPassword }]) {
      const res = await request(app.handler).post('/auth/password-reset/complete').send(body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    const bare = createTestApp(framework)
    const disabled = await request(bare.handler).post('/auth/password-reset').send({ email })
    expect(disabled.status).toBe(404)
    expect(disabled.body.error.code).toBe('FEATURE_DISABLED')
  })

  it('stores only the hash of the key', async () => {
    const app = createDeliveryTestApp(framework)
    await signUpOver(app, email, password)
    const key = await requestedKey(app)
    const user = (await app.gate.storage.users.getByEmail(email))!
    const stored = await app.gate.storage.verifications.find('password_reset', user.id, app.clock.now())
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(key.split('.')[1])
  })
})
