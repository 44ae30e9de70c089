import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../examples/lagrello/app.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { referenceTotpAt } from '../support/reference-totp.js'
import { endpointKey, openApiEndpointKeys, readSeedDocument, seedEndpointKeys, unservedEndpoints } from '../support/seed-endpoints.js'

const baseUrl = 'http://lagrello.test'

async function start() {
  const mailer = createCaptureMailer()
  const clock = createFixedClock()
  const app = await createApp({ baseUrl, clock, delivery: { email: mailer }, logger: { error: () => {} } })
  const tenant = await app.tenants.addTenant({ name: 'Acme' })
  await app.tenants.addUser({ tenantId: tenant.tenantId, userId: 'u-7', email: 'ada@example.com' })
  const bearer = { authorization: `Bearer ${tenant.token}` }
  /** Sends a link to u-7 and answers the token the mail carries (in the tenant's callbackUrl). */
  const sendLink = async () => {
    expect((await request(app.listener).post('/v1/users/u-7/email').set(bearer)).status).toBe(204)
    await app.gate.delivery.drain()
    const match = /https:\/\/example\.com\/users\/([A-Za-z0-9_-]+)/.exec(mailer.messages.at(-1)!.text)
    return match![1]!
  }
  return { ...app, mailer, clock, tenant, bearer, sendLink }
}

/** Every bad caller credential: none, unknown, a token without the admin scope, a session, Basic credentials. */
async function badCallers(app: Awaited<ReturnType<typeof start>>) {
  const plain = await app.gate.tokens.create({ userId: app.tenant.tenantId, scopes: [] })
  const session = await app.gate.sessions.issue({ userId: app.tenant.tenantId, factors: [{ method: 'password', at: app.clock.now() }] })
  const basic = `Basic ${Buffer.from('acme@tenants.lagrello.invalid:some password').toString('base64')}`
  return [{}, { authorization: 'Bearer ghp_unknown' }, { authorization: `Bearer ${plain.token}` }, { authorization: `Bearer ${session.token}` }, { authorization: basic }]
}

describe('examples/lagrello', () => {
  it('starts in under a second', async () => {
    const began = performance.now()
    await createApp({ baseUrl })
    expect(performance.now() - began).toBeLessThan(1000)
  })

  it("serves the seed's endpoint table exactly: L2 from gatehouse's route table, L1, L3 and L4 from the host", async () => {
    const seed = readSeedDocument('002_3df45d67eab868c3.txt')
    const app = await start()
    const hostRoutes = [endpointKey('GET', '/v1/users/email'), endpointKey('GET', '/v1/users/{}/totp'), endpointKey('POST', '/v1/users/{}/totp')]
    expect([...openApiEndpointKeys(app.gate.openApi()), ...hostRoutes].sort()).toEqual(seedEndpointKeys(seed))
    expect(await unservedEndpoints(app.listener, seed)).toEqual([])
  })

  it('L2 POST /v1/users/{userId}/email: 204 and a mail to the user; 400, 403, 404', async () => {
    const app = await start()
    const token = await app.sendLink()
    expect(token.length).toBeGreaterThanOrEqual(43)
    expect(app.mailer.messages.map((message) => message.to)).toEqual(['ada@example.com'])
    const sent = await request(app.listener).post('/v1/users/u-7/email').set(app.bearer)
    expect(sent.text).toBe('')
    for (const headers of await badCallers(app)) {
      const refused = await request(app.listener).post('/v1/users/u-7/email').set(headers)
      expect(refused.status).toBe(403)
      expect(refused.body).toEqual({ message: expect.any(String), errorType: expect.any(String) })
    }
    const unknown = await request(app.listener).post('/v1/users/nobody/email').set(app.bearer)
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ message: expect.any(String), errorType: 'NOT_FOUND' })
    const tooLong = await request(app.listener).post(`/v1/users/${'x'.repeat(129)}/email`).set(app.bearer)
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.errorType).toBe('INVALID_REQUEST')
    // Another tenant's user is not found, whatever its token.
    const other = await app.tenants.addTenant({ name: 'Other' })
    expect((await request(app.listener).post('/v1/users/u-7/email').set('authorization', `Bearer ${other.token}`)).status).toBe(404)
  })

  it('L1 GET /v1/users/email?payload=: 200 User once, no session; 401, 403, 404', async () => {
    const app = await start()
    const token = await app.sendLink()
    for (const headers of await badCallers(app)) {
      expect((await request(app.listener).get('/v1/users/email').query({ payload: token }).set(headers)).status).toBe(403)
    }
    const verified = await request(app.listener).get('/v1/users/email').query({ payload: token }).set(app.bearer)
    expect(verified.status).toBe(200)
    expect(verified.body).toEqual({ userId: 'u-7', email: 'ada@example.com' })
    expect(verified.headers['set-cookie']).toBeUndefined()
    const userId = app.tenants.resolve(app.tenant.tenantId, 'u-7')!
    expect(await app.gate.sessions.list({ userId })).toEqual([])
    const reused = await request(app.listener).get('/v1/users/email').query({ payload: token }).set(app.bearer)
    expect(reused.status).toBe(401)
    expect(reused.body).toEqual({ message: expect.any(String), errorType: 'INVALID_TOKEN' })
    expect((await request(app.listener).get('/v1/users/email').query({ payload: 'wrong' }).set(app.bearer)).status).toBe(401)
    expect((await request(app.listener).get('/v1/users/email').set(app.bearer)).status).toBe(401)
    // Expired after 15 minutes.
    const late = await app.sendLink()
    app.clock.advance(15 * 60 * 1000 + 1000)
    expect((await request(app.listener).get('/v1/users/email').query({ payload: late }).set(app.bearer)).status).toBe(401)
    // A link of a user who is not the calling tenant's: 404.
    const fresh = await app.sendLink()
    const other = await app.tenants.addTenant({ name: 'Other' })
    const foreign = await request(app.listener).get('/v1/users/email').query({ payload: fresh }).set('authorization', `Bearer ${other.token}`)
    expect(foreign.status).toBe(404)
    expect(foreign.body.errorType).toBe('NOT_FOUND')
  })

  it('L4 POST /v1/users/{userId}/totp: enable at once (200, data: SVG), rotate, disable 204 idempotent; 400, 403, 404', async () => {
    const app = await start()
    const enabled = await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).send({ enable: true })
    expect(enabled.status).toBe(200)
    expect(Object.keys(enabled.body).sort()).toEqual(['qrImage', 'secretKey'])
    expect(enabled.body.secretKey).toMatch(/^[A-Z2-7]{32}$/)
    expect(enabled.body.qrImage).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(enabled.body.qrImage.split(',')[1], 'base64').toString()).toContain('<svg')
    expect(enabled.headers['cache-control']).toBe('no-store')
    // Active without a confirm step: the next code verifies.
    const code = referenceTotpAt(enabled.body.secretKey, app.clock.now())
    expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: code }).set(app.bearer)).status).toBe(200)
    const rotated = await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).send({ enable: true })
    expect(rotated.status).toBe(200)
    expect(rotated.body.secretKey).not.toBe(enabled.body.secretKey)
    for (let i = 0; i < 2; i += 1) {
      const disabled = await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).send({ enable: false })
      expect(disabled.status).toBe(204)
      expect(disabled.text).toBe('')
    }
    app.clock.advance(30_000)
    expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: referenceTotpAt(rotated.body.secretKey, app.clock.now()) }).set(app.bearer)).status).toBe(401)
    for (const body of [undefined, {}, { enable: 'yes' }]) {
      const bad = await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).send(body)
      expect(bad.status).toBe(400)
      expect(bad.body.errorType).toBe('INVALID_REQUEST')
    }
    const malformed = await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).set('content-type', 'application/json').send('{"enable":')
    expect(malformed.status).toBe(400)
    expect(malformed.body).toEqual({ message: expect.any(String), errorType: 'INVALID_REQUEST' })
    for (const headers of await badCallers(app)) {
      expect((await request(app.listener).post('/v1/users/u-7/totp').set(headers).send({ enable: true })).status).toBe(403)
    }
    expect((await request(app.listener).post('/v1/users/nobody/totp').set(app.bearer).send({ enable: true })).status).toBe(404)
  })

  it('L3 GET /v1/users/{userId}/totp?payload=: 200 User; 401 wrong, replayed, missing or TOTP off; 403, 404', async () => {
    const app = await start()
    const off = await request(app.listener).get('/v1/users/u-7/totp').query({ payload: '123456' }).set(app.bearer)
    expect(off.status).toBe(401)
    expect(off.body).toEqual({ message: expect.any(String), errorType: 'INVALID_CODE' })
    const { secretKey } = (await request(app.listener).post('/v1/users/u-7/totp').set(app.bearer).send({ enable: true })).body
    const code = referenceTotpAt(secretKey, app.clock.now())
    for (const headers of await badCallers(app)) {
      expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: code }).set(headers)).status).toBe(403)
    }
    expect((await request(app.listener).get('/v1/users/nobody/totp').query({ payload: code }).set(app.bearer)).status).toBe(404)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: wrong }).set(app.bearer)).status).toBe(401)
    expect((await request(app.listener).get('/v1/users/u-7/totp').set(app.bearer)).status).toBe(401)
    const ok = await request(app.listener).get('/v1/users/u-7/totp').query({ payload: code }).set(app.bearer)
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ userId: 'u-7', email: 'ada@example.com' })
    const replayed = await request(app.listener).get('/v1/users/u-7/totp').query({ payload: code }).set(app.bearer)
    expect(replayed.status).toBe(401)
    expect(replayed.body.errorType).toBe('CODE_ALREADY_USED')
    // One step of clock skew each way.
    app.clock.advance(30_000)
    expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: referenceTotpAt(secretKey, app.clock.now() + 30_000) }).set(app.bearer)).status).toBe(200)
    // A magic link after TOTP leaves TOTP in place (the tenant vouched for the address).
    const token = await app.sendLink()
    expect((await request(app.listener).get('/v1/users/email').query({ payload: token }).set(app.bearer)).status).toBe(200)
    app.clock.advance(60_000)
    expect((await request(app.listener).get('/v1/users/u-7/totp').query({ payload: referenceTotpAt(secretKey, app.clock.now()) }).set(app.bearer)).status).toBe(200)
  })

  it('answers only its four endpoints', async () => {
    const app = await start()
    for (const [method, path] of [['post', '/session'], ['post', '/signup'], ['get', '/login-options'], ['post', '/magic-link'], ['get', '/magic-link/verify?token=x']] as const) {
      const response = await request(app.listener)[method](path).set(app.bearer)
      expect(response.status).toBe(404)
      expect(response.body.errorType).toBe('NOT_FOUND')
    }
  })
})
