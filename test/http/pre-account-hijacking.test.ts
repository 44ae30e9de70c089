import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { GatehouseOptions } from '../../src/index.js'
import { type DeliveryTestApp, createDeliveryTestApp, linkIn, pathOf, signUpOver } from '../support/delivery-apps.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const victim = 'victim@example.com'
const attackerPassword = 'the attacker picked this'
const victimPassword = 'the victim picked this one'
const origin = 'http://app.test'

/**
 * An attacker signs up with the victim's address before the victim does, and plants what would
 * outlive a later proof of the mailbox: a session, an API token, an access client and TOTP.
 */
async function plantedAccount(app: DeliveryTestApp) {
  let cookie = await signUpOver(app, victim, attackerPassword)
  const post = (path: string, body: object = {}) => request(app.handler).post(path).set('Cookie', cookie).set('Origin', origin).send(body)
  const apiToken = await post('/auth/tokens', { name: 'ci' })
  expect(apiToken.status).toBe(201)
  const accessClient = await post('/auth/access-clients', { name: 'pos' })
  expect(accessClient.status).toBe(201)
  const enable = await post('/auth/totp')
  expect(enable.status).toBe(200)
  const confirm = await post('/auth/totp/confirm', { code: referenceTotpAt(enable.body.secret, app.clock.now()) })
  expect(confirm.status).toBe(200)
  cookie = sessionCookieOf(confirm.headers['set-cookie']) // confirming rotates the session
  app.clock.advance(30_000)
  return { cookie, apiToken: apiToken.body.token as string, accessClient: accessClient.body.token as string }
}

type Planted = Awaited<ReturnType<typeof plantedAccount>>

async function mailedLink(app: DeliveryTestApp, path: string, body: object): Promise<URL> {
  expect((await request(app.handler).post(path).send(body)).status).toBe(202)
  await app.gate.delivery.drain()
  return linkIn(app.mailer.last(victim)!.text)
}

function loginAs(app: DeliveryTestApp, password: string) {
  return request(app.handler).post('/auth/session').send({ email: victim, password })
}

async function expectAttackerLockedOut(app: DeliveryTestApp, planted: Planted) {
  const session = await request(app.handler).get('/auth/session').set('Cookie', planted.cookie)
  expect(session.status).toBe(401)
  const login = await loginAs(app, attackerPassword)
  expect(login.status).toBe(401)
  expect(login.body.error.code).toBe('INVALID_CREDENTIALS')
  expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${planted.apiToken}`)).status).toBe(401)
  expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', planted.accessClient)).status).toBe(401)
  const user = (await app.gate.storage.users.getByEmail(victim))!
  expect(user.emailVerifiedAt).not.toBeNull()
  expect(await app.gate.storage.factors.listByUser(user.id)).toEqual([])
}

async function expectAttackerKept(app: DeliveryTestApp, planted: Planted) {
  expect((await loginAs(app, attackerPassword)).status).toBe(200)
  expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${planted.apiToken}`)).status).toBe(200)
  expect((await request(app.handler).get('/api/projects').set('Access-Client-Token', planted.accessClient)).status).toBe(200)
  const user = (await app.gate.storage.users.getByEmail(victim))!
  expect((await app.gate.storage.factors.listByUser(user.id, 'totp')).length).toBe(1)
}

describe.each(frameworks)('%s: a first proof of the mailbox ends what a pre-account hijacker planted', (framework) => {
  const appWith = (overrides: Partial<GatehouseOptions> = {}) => createDeliveryTestApp(framework, overrides)

  it('magic link in another browser: the attacker is out, the victim gets a full session', async () => {
    const app = appWith()
    const planted = await plantedAccount(app)
    const link = await mailedLink(app, '/auth/magic-link', { email: victim })
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json')
    expect(res.status).toBe(200)
    expect(res.body.pending).toBeUndefined()
    expect(res.body.user).toMatchObject({ email: victim, emailVerified: true })
    await expectAttackerLockedOut(app, planted)
    const mine = await request(app.handler).get('/auth/session').set('Cookie', sessionCookieOf(res.headers['set-cookie']))
    expect(mine.status).toBe(200)
    expect(mine.body.secondFactors).toEqual([])
    // The password went too: the victim sets one through a reset.
    const key = (await mailedLink(app, '/auth/password-reset', { email: victim })).searchParams.get('key')!
    expect((await request(app.handler).post('/auth/password-reset/complete').send({ key, newPassword: victimPassword })).status).toBe(204)
    expect((await loginAs(app, victimPassword)).status).toBe(200)
  })

  it('magic link through the browser confirm page (POST, 303) does the same', async () => {
    const app = appWith()
    const planted = await plantedAccount(app)
    const link = await mailedLink(app, '/auth/magic-link', { email: victim })
    const res = await request(app.handler).post(pathOf(link)).type('form').set('Origin', origin).send({})
    expect(res.status).toBe(303)
    await expectAttackerLockedOut(app, planted)
    expect((await request(app.handler).get('/auth/session').set('Cookie', sessionCookieOf(res.headers['set-cookie']))).status).toBe(200)
  })

  it('password reset in another browser: only the new password works, tokens go even with revokeOnPasswordChange off', async () => {
    const app = appWith({ tokens: { revokeOnPasswordChange: false } })
    const planted = await plantedAccount(app)
    const key = (await mailedLink(app, '/auth/password-reset', { email: victim })).searchParams.get('key')!
    expect((await request(app.handler).post('/auth/password-reset/complete').send({ key, newPassword: victimPassword })).status).toBe(204)
    await expectAttackerLockedOut(app, planted)
    const login = await loginAs(app, victimPassword)
    expect(login.status).toBe(200)
    expect(login.body.pending).toBeUndefined()
    expect((await request(app.handler).get('/auth/session').set('Cookie', sessionCookieOf(login.headers['set-cookie']))).status).toBe(200)
  })

  it('a session of another account in the request is no proof of this one', async () => {
    const app = appWith()
    const planted = await plantedAccount(app)
    const other = await signUpOver(app, 'other@example.com', 'some other long password')
    const link = await mailedLink(app, '/auth/magic-link', { email: victim })
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json').set('Cookie', other)
    expect(res.status).toBe(200)
    expect(res.body.user.email).toBe(victim)
    await expectAttackerLockedOut(app, planted)
  })

  it('same browser (the signup session presents the magic link): password, sessions and tokens stay', async () => {
    const app = appWith()
    const cookie = await signUpOver(app, victim, victimPassword)
    const apiToken = (await request(app.handler).post('/auth/tokens').set('Cookie', cookie).set('Origin', origin).send({ name: 'ci' })).body.token
    const laptop = sessionCookieOf((await loginAs(app, victimPassword)).headers['set-cookie'])
    const link = await mailedLink(app, '/auth/magic-link', { email: victim })
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json').set('Cookie', cookie)
    expect(res.status).toBe(200)
    expect(res.body.user.emailVerified).toBe(true)
    // The link signs in like any login, rotating the presented session; nothing else ends.
    expect((await request(app.handler).get('/auth/session').set('Cookie', sessionCookieOf(res.headers['set-cookie']))).status).toBe(200)
    expect((await request(app.handler).get('/auth/session').set('Cookie', laptop)).status).toBe(200)
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${apiToken}`)).status).toBe(200)
    expect((await loginAs(app, victimPassword)).status).toBe(200)
  })

  it('same browser with a second factor: the factor stays, so the link gives a pending session', async () => {
    const app = appWith()
    const planted = await plantedAccount(app)
    const link = await mailedLink(app, '/auth/magic-link', { email: victim })
    const res = await request(app.handler).get(pathOf(link)).set('Accept', 'application/json').set('Cookie', planted.cookie)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ pending: true, secondFactors: ['totp', 'recovery_code'] })
    await expectAttackerKept(app, planted)
  })

  it('same browser password reset keeps the factors, and the tokens when revokeOnPasswordChange is off', async () => {
    const app = appWith({ tokens: { revokeOnPasswordChange: false } })
    const planted = await plantedAccount(app)
    const key = (await mailedLink(app, '/auth/password-reset', { email: victim })).searchParams.get('key')!
    const reset = await request(app.handler).post('/auth/password-reset/complete').set('Cookie', planted.cookie).set('Origin', origin)
      .send({ key, newPassword: victimPassword })
    expect(reset.status).toBe(204)
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${planted.apiToken}`)).status).toBe(200)
    const user = (await app.gate.storage.users.getByEmail(victim))!
    expect((await app.gate.storage.factors.listByUser(user.id, 'totp')).length).toBe(1)
  })

  it('only the first proof: once the e-mail is verified, a magic link elsewhere ends nothing', async () => {
    const app = appWith()
    const cookie = await signUpOver(app, victim, victimPassword)
    const first = await mailedLink(app, '/auth/magic-link', { email: victim })
    expect((await request(app.handler).get(pathOf(first)).set('Accept', 'application/json').set('Cookie', cookie)).status).toBe(200)
    const laptop = sessionCookieOf((await loginAs(app, victimPassword)).headers['set-cookie'])
    const second = await mailedLink(app, '/auth/magic-link', { email: victim })
    expect((await request(app.handler).get(pathOf(second)).set('Accept', 'application/json')).status).toBe(200)
    expect((await request(app.handler).get('/auth/session').set('Cookie', laptop)).status).toBe(200)
    expect((await loginAs(app, victimPassword)).status).toBe(200)
  })
})

describe('the proof parameter of gate.magicLinks.consume and gate.passwordReset.complete', () => {
  it('without one, a first proof clears the account; with the account\'s own session, it keeps it', async () => {
    const app = createDeliveryTestApp('express')
    const planted = await plantedAccount(app)
    const user = (await app.gate.storage.users.getByEmail(victim))!
    const [session] = await app.gate.sessions.list({ userId: user.id })
    await app.gate.magicLinks.send({ email: victim })
    const kept = await app.gate.magicLinks.consume({ token: linkIn(app.mailer.last(victim)!.text).searchParams.get('token')!, presentedSessionId: session!.id })
    expect(kept.user.emailVerified).toBe(true)
    await expectAttackerKept(app, planted)

    const other = createDeliveryTestApp('express')
    const otherPlanted = await plantedAccount(other)
    await other.gate.magicLinks.send({ email: victim })
    const cleared = await other.gate.magicLinks.consume({ token: linkIn(other.mailer.last(victim)!.text).searchParams.get('token')! })
    expect(await other.gate.storage.users.getById(cleared.user.id)).toMatchObject({ passwordHash: null, emailVerifiedAt: expect.any(Number) })
    await expectAttackerLockedOut(other, otherPlanted)
  })

  it('a pending session of the account is no proof of it', async () => {
    const app = createDeliveryTestApp('express', { tokens: { revokeOnPasswordChange: false } })
    const planted = await plantedAccount(app)
    const pending = await loginAs(app, attackerPassword)
    expect(pending.body.pending).toBe(true)
    const user = (await app.gate.storage.users.getByEmail(victim))!
    const pendingSession = (await app.gate.sessions.list({ userId: user.id })).find((session) => session.pendingSecondFactor)!
    await app.gate.passwordReset.request({ email: victim })
    const key = linkIn(app.mailer.last(victim)!.text).searchParams.get('key')!
    await app.gate.passwordReset.complete({ key, newPassword: victimPassword, presentedSessionId: pendingSession.id })
    await expectAttackerLockedOut(app, planted)
  })
})
