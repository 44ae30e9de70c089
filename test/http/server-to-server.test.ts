import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const baseUrl = 'http://app.test'

function mount(framework: Framework, options: Partial<GatehouseOptions>) {
  const gate = createGatehouse({ baseUrl, clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} }, mountPath: '/api', ...options })
  return { gate, app: mountHost(framework, gate) }
}

describe.each(frameworks)('%s: what a server-to-server API needs', (framework) => {
  it('looks path ids up per caller: resolveUser sees who holds the token', async () => {
    const mailer = createCaptureMailer()
    const idsByTenant = new Map<string, Map<string, string>>()
    const { app, gate } = mount(framework, {
      delivery: { email: mailer },
      tokens: { scopes: ['admin'] },
      paths: { magicLinkSend: '/v1/users/:userId/email' },
      shape: {
        magicLinkSend: {
          actAs: { param: 'userId', scope: 'admin', resolveUser: (id, { caller }) => idsByTenant.get(caller.user.id)?.get(id) ?? null },
          input: { body: { email: 'user:email' } },
          success: { status: 204 },
        },
      },
    })
    const tenantA = await gate.users.signUp({ email: 'a@tenant.test', password: null })
    const tenantB = await gate.users.signUp({ email: 'b@tenant.test', password: null })
    const user = await gate.users.signUp({ email: 'user@example.com', password: null })
    idsByTenant.set(tenantA.id, new Map([['7', user.id]]))
    const tokenA = await gate.tokens.create({ userId: tenantA.id, scopes: ['admin'] })
    const tokenB = await gate.tokens.create({ userId: tenantB.id, scopes: ['admin'] })
    expect((await request(app).post('/api/v1/users/7/email').set('authorization', `Bearer ${tokenA.token}`)).status).toBe(204)
    expect((await request(app).post('/api/v1/users/7/email').set('authorization', `Bearer ${tokenB.token}`)).status).toBe(404)
    await gate.delivery.drain()
    expect(mailer.messages.map((message) => message.to)).toEqual(['user@example.com'])
  })

  it('mails links to linkUrl, with the verify route not mounted, and the host consumes them', async () => {
    const mailer = createCaptureMailer()
    const { app, gate } = mount(framework, {
      delivery: { email: mailer },
      disable: ['magicLinkVerify'],
      magicLinks: { linkUrl: 'https://tenant.example.com/users/{token}/login' },
    })
    await gate.users.signUp({ email: 'user@example.com', password: null })
    expect((await request(app).post('/api/magic-link').send({ email: 'user@example.com' })).status).toBe(202)
    await gate.delivery.drain()
    const link = /https:\/\/tenant\.example\.com\/users\/([A-Za-z0-9_-]+)\/login/.exec(mailer.messages[0]!.text)
    expect(link).not.toBeNull()
    const consumed = await gate.magicLinks.consume({ token: link![1]! })
    expect(consumed.user.email).toBe('user@example.com')
    await expect(gate.magicLinks.consume({ token: link![1]! })).rejects.toMatchObject({ code: 'INVALID_TOKEN' })
    expect((await request(app).get('/api/login-options')).body.magicLink).toBe(true)
  })
})

describe('gate.totp.enable({ activate: true })', () => {
  it('is active at once, without recovery codes, and replaces the previous secret', async () => {
    const clock = createFixedClock()
    const gate = createGatehouse({ baseUrl, clock, passwords: fastHashing })
    const user = await gate.users.signUp({ email: 'user@example.com', password: null })
    const first = await gate.totp.enable({ userId: user.id, activate: true })
    expect(await gate.secondFactor.list({ userId: user.id })).toEqual(['totp'])
    expect(await gate.totp.verify({ userId: user.id, code: referenceTotpAt(first.secret, clock.now()) })).toBe(true)
    await expect(gate.totp.enable({ userId: user.id })).rejects.toMatchObject({ status: 409 })
    const second = await gate.totp.enable({ userId: user.id, activate: true })
    expect(second.secret).not.toBe(first.secret)
    clock.advance(30_000)
    expect(await gate.totp.verify({ userId: user.id, code: referenceTotpAt(first.secret, clock.now()) })).toBe(false)
    expect(await gate.totp.verify({ userId: user.id, code: referenceTotpAt(second.secret, clock.now()) })).toBe(true)
  })
})

describe('magicLinks.linkUrl is checked once', () => {
  it.each(['https://tenant.example.com/users/', 'ftp://tenant.example.com/{token}', 'not a url {token}'])('refuses %s', (linkUrl) => {
    expect(() => createGatehouse({ baseUrl, magicLinks: { linkUrl } })).toThrow(ConfigError)
  })
})
