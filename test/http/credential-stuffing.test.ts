import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { ChallengeRequest, GatehouseOptions } from '../../src/index.js'
import { createTestApp, frameworks } from '../support/example-apps.js'

const password = 'correct horse battery'

async function appWithUsers(framework: (typeof frameworks)[number], overrides: Partial<GatehouseOptions>, emails: string[]) {
  const app = createTestApp(framework, overrides)
  for (const email of emails) await app.gate.users.signUp({ email, password })
  return app
}

function login(app: { handler: Parameters<typeof request>[0] }, email: string, secret: string, ip: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return request(app.handler).post('/auth/session').set('X-Forwarded-For', ip).set(headers).send({ email, password: secret, ...extra })
}

describe.each(frameworks)('%s: credential stuffing', (framework) => {
  it('counts failed logins per IPv4 /24 and IPv6 /64 across neighbouring addresses and accounts', async () => {
    const emails = Array.from({ length: 8 }, (_, index) => `victim${index}@example.com`)
    const app = await appWithUsers(framework, { rateLimits: { loginPerNetwork: { max: 3, windowSeconds: 900 }, loginPerIp: { max: 100, windowSeconds: 900 } } }, emails)
    for (const [index, ip] of ['203.0.113.1', '203.0.113.2', '203.0.113.3'].entries()) {
      expect((await login(app, emails[index]!, 'wrong guess', ip)).status).toBe(401)
    }
    const blocked = await login(app, emails[3]!, 'wrong guess', '203.0.113.200')
    expect(blocked.status).toBe(429)
    expect(blocked.headers['retry-after']).toBeDefined()
    // Even a right password waits out the network's window; another /24 is not affected.
    expect((await login(app, emails[4]!, password, '203.0.113.77')).status).toBe(429)
    expect((await login(app, emails[4]!, password, '203.0.114.1')).status).toBe(200)

    for (const [index, ip] of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3'].entries()) {
      expect((await login(app, emails[index + 5]!, 'wrong guess', ip)).status).toBe(401)
    }
    expect((await login(app, emails[5]!, password, '2001:db8:1:2::99')).status).toBe(429)
    expect((await login(app, emails[5]!, password, '2001:db8:1:3::1')).status).toBe(200)
  })

  it('asks verifyHuman after afterFailures failures of the account, known or not, and a solved challenge lets the right password in', async () => {
    const seen: ChallengeRequest[] = []
    const verifyHuman = async (req: ChallengeRequest) => {
      seen.push(req)
      if (req.headers.get('x-challenge') === 'solved') return true
      const body = (await req.readBody?.()) as { challenge?: string } | undefined
      if (body?.challenge === 'throw') throw new Error('challenge provider down')
      return body?.challenge === 'solved'
    }
    const email = 'target@example.com'
    const app = await appWithUsers(framework, { loginChallenge: { verifyHuman, afterFailures: 2 } }, [email])

    for (const account of [email, 'nobody@example.com']) {
      expect((await login(app, account, 'wrong 1', '198.51.100.1')).status).toBe(401)
      expect((await login(app, account, 'wrong 2', '198.51.100.2')).status).toBe(401)
      const challenged = await login(app, account, password, '198.51.100.3')
      expect(challenged.status).toBe(403)
      expect(challenged.body.error.code).toBe('HUMAN_VERIFICATION_REQUIRED')
      const thrown = await login(app, account, password, '198.51.100.3', { challenge: 'throw' })
      expect(thrown.status).toBe(403)
      expect(thrown.body.error.code).toBe('HUMAN_VERIFICATION_REQUIRED')
    }
    expect(seen.length).toBe(4)

    // A solved challenge with a wrong password is still a wrong password.
    expect((await login(app, email, 'wrong 3', '198.51.100.4', {}, { 'x-challenge': 'solved' })).status).toBe(401)
    const admitted = await login(app, email, password, '198.51.100.4', { challenge: 'solved' })
    expect(admitted.status).toBe(200)
    // The success cleared the account's count: no challenge until it fails again.
    expect((await login(app, email, password, '198.51.100.5')).status).toBe(200)
  })

  it('refuses a verifyHuman that is not a function', () => {
    expect(() => createTestApp(framework, { loginChallenge: { verifyHuman: 'yes' as never } })).toThrow(/loginChallenge\.verifyHuman/)
  })
})
