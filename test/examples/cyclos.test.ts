import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../examples/cyclos/app.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { fastHashing } from '../support/example-apps.js'
import { endpointKey, openApiEndpointKeys, readSeedDocument, seedEndpointKeys, unservedEndpoints } from '../support/seed-endpoints.js'

const password = 'long enough pw'
const basic = (email: string, pw: string) => `Basic ${Buffer.from(`${email}:${pw}`).toString('base64')}`

async function setUp() {
  const mailer = createCaptureMailer()
  const started = Date.now()
  const app = await createApp({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, delivery: { email: mailer }, logger: { error: () => {} } })
  const startedInMs = Date.now() - started
  const user = await app.gate.users.signUp({ email: 'a@example.com', password, name: 'Ada' })
  return { ...app, mailer, user, startedInMs }
}

describe('Cyclos example', () => {
  it('starts in under a second', async () => {
    expect((await setUp()).startedInMs).toBeLessThan(1000)
  })

  it("serves the seed's endpoint table exactly, every endpoint from gatehouse's route table", async () => {
    const seed = readSeedDocument('003_b12a033d191da0f7.txt')
    const { gate, listener } = await setUp()
    // Logout's prose also names `DELETE /auth`, served as an alias of `DELETE /auth/session`.
    expect(openApiEndpointKeys(gate.openApi())).toEqual([...seedEndpointKeys(seed), endpointKey('DELETE', '/auth')].sort())
    expect(await unservedEndpoints(listener, seed)).toEqual([])
  })

  it('logs in with Basic (whole and split token), answers GET /auth with fields, logs out', async () => {
    const { listener } = await setUp()
    expect((await request(listener).post('/api/auth/session')).status).toBe(401)
    const wrong = await request(listener).post('/api/auth/session').set('authorization', basic('a@example.com', 'wrong password'))
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({ code: 'login' })

    const whole = await request(listener).post('/api/auth/session?fields=sessionToken,user.email').set('authorization', basic('a@example.com', password))
    expect(whole.status).toBe(200)
    expect(whole.body).toEqual({ sessionToken: expect.any(String), user: { email: 'a@example.com' } })
    expect(whole.headers['set-cookie']).toBeUndefined()
    const token = whole.body.sessionToken as string
    const auth = await request(listener).get('/api/auth?fields=-permissions,user.-id').set('Session-Token', token)
    expect(auth.status).toBe(200)
    expect(auth.body.permissions).toBeUndefined()
    expect(auth.body.user).toEqual({ display: 'Ada', email: 'a@example.com' })

    const split = await request(listener).post('/api/auth/session?cookie=true').set('authorization', basic('a@example.com', password))
    const firstHalf = split.body.sessionToken as string
    const cookie = String(split.headers['set-cookie']).split(';', 1)[0]!
    expect(cookie).toMatch(/^Session-Token=/)
    expect((await request(listener).get('/api/auth').set('Session-Token', firstHalf).set('cookie', cookie)).body.user.email).toBe('a@example.com')
    expect((await request(listener).get('/api/auth').set('Session-Token', firstHalf)).status).toBe(401)

    const guest = await request(listener).get('/api/auth')
    expect(guest.status).toBe(200)
    expect(guest.body.user).toBeUndefined()
    expect(guest.body.sessionToken).toBeUndefined()

    expect((await request(listener).delete('/api/auth/session')).status).toBe(401)
    const logout = await request(listener).delete('/api/auth/session?cookie=true').set('Session-Token', firstHalf).set('cookie', cookie)
    expect(logout.status).toBe(204)
    expect(String(logout.headers['set-cookie'])).toMatch(/^Session-Token=;/)
    const alias = await request(listener).delete('/api/auth').set('Session-Token', token)
    expect(alias.status).toBe(204)
    expect(alias.headers['set-cookie']).toBeUndefined()
    const gone = await request(listener).get('/api/auth').set('Session-Token', token)
    expect(gone.status).toBe(401)
    expect(gone.body).toEqual({ code: 'loggedOut' })
  })

  it('answers data for login', async () => {
    const { listener } = await setUp()
    const data = await request(listener).get('/api/auth/data-for-login?fields=principalTypes.internalName&fields=loginPasswordInput.mode')
    expect(data.status).toBe(200)
    expect(data.body).toEqual({ principalTypes: [{ internalName: 'email' }, { internalName: 'username' }], loginPasswordInput: { mode: 'manual' } })
  })

  it('keeps a pending session to the secondary password, then completes it with the same token', async () => {
    const { listener, gate, user } = await setUp()
    const noSecondary = await request(listener).post('/api/auth/session').set('authorization', basic('a@example.com', password))
    expect((await request(listener).get('/api/auth/session/secondary-password').set('Session-Token', noSecondary.body.sessionToken)).status).toBe(404)

    await gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'the secondary pw' })
    const pending = await request(listener).post('/api/auth/session').set('authorization', basic('a@example.com', password))
    expect(pending.status).toBe(200)
    expect(pending.body.pendingSecondaryPassword).toBe(true)
    const session = { 'Session-Token': pending.body.sessionToken as string }
    const input = await request(listener).get('/api/auth/session/secondary-password').set(session)
    expect(input.status).toBe(200)
    expect(input.body).toMatchObject({ mode: 'manual', inputMethod: 'textBox' })
    expect((await request(listener).get('/api/auth').set(session)).body.pendingSecondaryPassword).toBe(true)
    expect((await request(listener).post('/api/auth/otp?medium=email').set(session)).status).toBe(403)

    const wrong = await request(listener).post('/api/auth/session/secondary-password').set(session).set('content-type', 'text/plain').send('not it at all')
    expect(wrong.status).toBe(403)
    expect(wrong.body).toEqual({ code: 'invalidPassword' })
    const right = await request(listener).post('/api/auth/session/secondary-password').set(session).set('content-type', 'text/plain').send('the secondary pw')
    expect(right.status).toBe(204)
    const full = await request(listener).get('/api/auth').set(session)
    expect(full.body.user.email).toBe('a@example.com')

    const again = await request(listener).post('/api/auth/session').set('authorization', basic('a@example.com', password))
    const blocked = { 'Session-Token': again.body.sessionToken as string }
    let last = 0
    for (let attempt = 0; attempt < 6; attempt++) {
      last = (await request(listener).post('/api/auth/session/secondary-password').set(blocked).set('content-type', 'text/plain').send('wrong again pw')).status
    }
    expect(last).toBe(403)
  })

  it('sends an OTP and disconnects an access client confirmed with it', async () => {
    const { listener, gate, user, mailer } = await setUp()
    const client = await gate.tokens.activateAccessClient({ userId: user.id, name: 'pos' })
    const login = await request(listener).post('/api/auth/session').set('Access-Client-Token', client.token)
    expect(login.status).toBe(200)
    const session = { 'Session-Token': login.body.sessionToken as string }
    expect((await request(listener).get('/api/auth').set('Access-Client-Token', client.token)).body.accessClient).toEqual({ id: client.id, name: 'pos' })

    expect((await request(listener).post('/api/auth/otp?medium=fax').set(session)).status).toBe(422)
    const sent = await request(listener).post('/api/auth/otp?medium=email').set(session)
    expect(sent.status).toBe(200)
    expect(sent.body).toEqual(['a***@example.com'])
    const code = /\b(\d{6})\b/.exec(mailer.messages.at(-1)!.text)![1]!

    const unconfirmed = await request(listener).delete('/api/auth/access-client').set('Access-Client-Token', client.token)
    expect(unconfirmed.status).toBe(403)
    expect(unconfirmed.body).toEqual({ code: 'invalidPassword' })
    const done = await request(listener).delete('/api/auth/access-client').set('Access-Client-Token', client.token).set('confirmationPassword', code)
    expect(done.status).toBe(204)
    const dead = await request(listener).post('/api/auth/session').set('Access-Client-Token', client.token)
    expect(dead.status).toBe(401)
    expect(dead.body).toEqual({ code: 'invalidAccessClient' })
  })

  it('resets a forgotten password', async () => {
    const { listener, gate, mailer } = await setUp()
    expect((await request(listener).post('/api/auth/forgotten-password/request').send({ user: 'nobody@example.com' })).status).toBe(204)
    expect((await request(listener).post('/api/auth/forgotten-password/request').send({ user: 'a@example.com' })).status).toBe(204)
    await gate.delivery.drain()
    const key = new URL(/https?:\/\/\S+/.exec(mailer.messages.at(-1)!.text)![0]).searchParams.get('key')!
    expect((await request(listener).get('/api/auth/forgotten-password/data-for-change?key=unknown')).status).toBe(404)
    const data = await request(listener).get(`/api/auth/forgotten-password/data-for-change?key=${key}`)
    expect(data.status).toBe(200)
    expect(data.body).toEqual({ generated: false })
    expect((await request(listener).post('/api/auth/forgotten-password').send({ key })).status).toBe(422)
    expect((await request(listener).post('/api/auth/forgotten-password').send({ key: 'unknown', newPassword: 'a new long pw' })).status).toBe(404)
    expect((await request(listener).post('/api/auth/forgotten-password').send({ key, newPassword: 'a new long pw' })).status).toBe(204)
    expect((await request(listener).post('/api/auth/session').set('authorization', basic('a@example.com', 'a new long pw'))).status).toBe(200)
  })
})
