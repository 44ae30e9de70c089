import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { type DeliveryTestApp, createDeliveryTestApp, linkIn, pathOf, signUpOver } from '../support/delivery-apps.js'
import { frameworks } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const newPassword = 'a brand new passphrase'
const origin = 'http://app.test'

function codeIn(text: string | undefined): string {
  const match = /\b(\d{6})\b/.exec(text ?? '')
  if (match === null) throw new Error(`no code in ${JSON.stringify(text)}`)
  return match[1]!
}

describe.each(frameworks)('%s: a new password ends the outstanding reset keys, magic links and codes', (framework) => {
  async function mailed(app: DeliveryTestApp, path: string, body: object) {
    const res = await request(app.handler).post(path).set('Origin', origin).send(body)
    expect(res.status).toBe(202)
    await app.gate.delivery.drain()
    return app.mailer.last(email)!.text
  }

  /** A reset key, a magic link and a code for a sensitive action, all outstanding. */
  async function outstandingSecrets(app: DeliveryTestApp, cookie: string) {
    const resetKey = linkIn(await mailed(app, '/auth/password-reset', { email })).searchParams.get('key')!
    const magicLink = linkIn(await mailed(app, '/auth/magic-link', { email }))
    const res = await request(app.handler).post('/auth/otp').set('Cookie', cookie).set('Origin', origin).send({ medium: 'email', purpose: 'delete_account' })
    expect(res.status).toBe(202)
    const code = codeIn(app.mailer.last(email)!.text)
    return { resetKey, magicLink, code }
  }

  async function expectAllInvalid(app: DeliveryTestApp, secrets: Awaited<ReturnType<typeof outstandingSecrets>>) {
    const info = await request(app.handler).get(`/auth/password-reset?key=${encodeURIComponent(secrets.resetKey)}`)
    expect(info.status).toBe(401)
    expect(info.body.error.code).toBe('INVALID_TOKEN')
    const reset = await request(app.handler).post('/auth/password-reset/complete').send({ key: secrets.resetKey, newPassword: 'the thief would pick this' })
    expect(reset.status).toBe(401)
    expect(reset.body.error.code).toBe('INVALID_TOKEN')
    const link = await request(app.handler).get(pathOf(secrets.magicLink)).set('Accept', 'application/json')
    expect(link.status).toBe(401)
    expect(link.body.error.code).toBe('INVALID_TOKEN')
    const user = (await app.gate.storage.users.getByEmail(email))!
    expect(await app.gate.otp.verify({ userId: user.id, code: secrets.code, purpose: 'delete_account' })).toBe(false)
  }

  it('on a password change (POST /auth/password)', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    const secrets = await outstandingSecrets(app, cookie)
    const changed = await request(app.handler).post('/auth/password').set('Cookie', cookie).set('Origin', origin).send({ currentPassword: password, newPassword })
    expect(changed.status).toBe(204)
    await expectAllInvalid(app, secrets)
  })

  it('on a completed reset: the link and code sent before it end with the key it used', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    const secrets = await outstandingSecrets(app, cookie)
    const reset = await request(app.handler).post('/auth/password-reset/complete').send({ key: secrets.resetKey, newPassword })
    expect(reset.status).toBe(204)
    await expectAllInvalid(app, secrets)
  })

  it('on gate.passwords.set', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    const secrets = await outstandingSecrets(app, cookie)
    const user = (await app.gate.storage.users.getByEmail(email))!
    await app.gate.passwords.set({ userId: user.id, newPassword })
    await expectAllInvalid(app, secrets)
  })

  it('but a new secret asked for after the change works', async () => {
    const app = createDeliveryTestApp(framework)
    const cookie = await signUpOver(app, email, password)
    await outstandingSecrets(app, cookie)
    await request(app.handler).post('/auth/password').set('Cookie', cookie).set('Origin', origin).send({ currentPassword: password, newPassword })
    const fresh = await outstandingSecrets(app, cookie)
    expect((await request(app.handler).get(`/auth/password-reset?key=${encodeURIComponent(fresh.resetKey)}`)).status).toBe(200)
    expect((await request(app.handler).get(pathOf(fresh.magicLink)).set('Accept', 'application/json')).status).toBe(200)
  })
})
