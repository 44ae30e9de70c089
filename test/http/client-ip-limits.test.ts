import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDeliveryTestApp } from '../support/delivery-apps.js'
import { frameworks, type TestApp } from '../support/example-apps.js'

const password = 'correct horse battery'
const perIp = { max: 2, windowSeconds: 600 }

/** Per-IP limited routes; each call uses a fresh e-mail so only the per-IP limit can refuse. */
const limitedRoutes = {
  login: {
    options: { rateLimits: { loginPerIp: perIp } },
    send: (app: TestApp, ip: string, email: string) => request(app.handler).post('/auth/session').set('X-Forwarded-For', ip).send({ email, password }),
    allowed: 401,
  },
  signup: {
    options: { rateLimits: { signupPerIp: perIp } },
    send: (app: TestApp, ip: string, email: string) => request(app.handler).post('/auth/signup').set('X-Forwarded-For', ip).send({ email, password }),
    allowed: 201,
  },
  passwordResetRequest: {
    options: { passwordReset: { rateLimits: { perIp } } },
    send: (app: TestApp, ip: string, email: string) => request(app.handler).post('/auth/password-reset').set('X-Forwarded-For', ip).send({ email }),
    allowed: 202,
  },
}

describe.each(frameworks)('%s: per-IP limits key IPv6 clients by their /64', (framework) => {
  describe.each(Object.entries(limitedRoutes))('%s', (_name, route) => {
    let emails = 0
    const freshEmail = () => `user${++emails}@example.com`

    it('counts two addresses of one /64 together, and another /64 apart', async () => {
      const app = createDeliveryTestApp(framework, route.options)
      expect((await route.send(app, '2001:db8:a:b::1', freshEmail())).status).toBe(route.allowed)
      expect((await route.send(app, '2001:db8:a:b:ffff:1234:5678:9abc', freshEmail())).status).toBe(route.allowed)
      const third = await route.send(app, '2001:0db8:000a:000b::77', freshEmail())
      expect(third.status).toBe(429)
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0)
      expect((await route.send(app, '2001:db8:a:c::1', freshEmail())).status).toBe(route.allowed)
    })

    it('counts an IPv4 client and its IPv4-mapped IPv6 form together', async () => {
      const app = createDeliveryTestApp(framework, route.options)
      expect((await route.send(app, '203.0.113.7', freshEmail())).status).toBe(route.allowed)
      expect((await route.send(app, '::ffff:203.0.113.7', freshEmail())).status).toBe(route.allowed)
      expect((await route.send(app, '::ffff:cb00:7107', freshEmail())).status).toBe(429)
      expect((await route.send(app, '203.0.113.8', freshEmail())).status).toBe(route.allowed)
    })
  })
})
