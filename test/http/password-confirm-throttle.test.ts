import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse } from '../../src/index.js'
import { createTestApp, frameworks, sessionCookieOf, type TestApp } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const wrongPassword = 'wrong horse battery'

type ConfirmingRoute = 'passwordChange' | 'profileUpdate' | 'unregister'
const confirmingRoutes: ConfirmingRoute[] = ['passwordChange', 'profileUpdate', 'unregister']

let moves = 0

/** One request to a route that checks the current password. */
function confirmOn(app: TestApp, cookie: string, route: ConfirmingRoute, pass: string) {
  if (route === 'passwordChange') {
    return request(app.handler).post('/auth/password').set('Cookie', cookie).send({ currentPassword: pass, newPassword: `${pass} again` })
  }
  if (route === 'profileUpdate') {
    return request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ email: `moved${++moves}@example.com`, currentPassword: pass })
  }
  return request(app.handler).post('/auth/unregister').set('Cookie', cookie).send({ password: pass })
}

describe.each(frameworks)('%s: the current-password check is throttled per user', (framework) => {
  async function signedUp(app: TestApp = createTestApp(framework)): Promise<{ app: TestApp; cookie: string }> {
    const res = await request(app.handler).post('/auth/signup').send({ email, password })
    expect(res.status).toBe(201)
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']) }
  }

  async function failFiveTimes(app: TestApp, cookie: string, route: ConfirmingRoute): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await confirmOn(app, cookie, route, wrongPassword)
      expect(wrong.status).toBe(401)
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS')
    }
  }

  it.each(confirmingRoutes)('%s: after 5 wrong passwords the 6th, even right, is 429 with Retry-After', async (route) => {
    const { app, cookie } = await signedUp()
    await failFiveTimes(app, cookie, route)
    const sixth = await confirmOn(app, cookie, route, password)
    expect(sixth.status).toBe(429)
    expect(sixth.body.error.code).toBe('RATE_LIMITED')
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0)
    const user = await app.gate.storage.users.getByEmail(email)
    expect(user).not.toBeNull() // nothing changed: not unregistered, not moved
    expect((await request(app.handler).post('/auth/session').send({ email, password })).status).toBe(200)

    app.clock.advance(16 * 60 * 1000)
    expect((await confirmOn(app, cookie, route, password)).status).toBeLessThan(300)
  })

  it.each(['passwordChange', 'profileUpdate'] as const)('%s: a right password before the limit clears the count', async (route) => {
    const { app, cookie } = await signedUp()
    for (let attempt = 1; attempt <= 4; attempt++) expect((await confirmOn(app, cookie, route, wrongPassword)).status).toBe(401)
    expect((await confirmOn(app, cookie, route, password)).status).toBeLessThan(300)
    const current = route === 'passwordChange' ? `${password} again` : password
    await failFiveTimes(app, cookie, route)
    expect((await confirmOn(app, cookie, route, current)).status).toBe(429)
  })

  it('unregister: one count per user across the routes, cleared by a right password on another', async () => {
    const { app, cookie } = await signedUp()
    for (let attempt = 1; attempt <= 4; attempt++) expect((await confirmOn(app, cookie, 'unregister', wrongPassword)).status).toBe(401)
    expect((await confirmOn(app, cookie, 'profileUpdate', password)).status).toBe(200)
    await failFiveTimes(app, cookie, 'unregister')
    expect((await confirmOn(app, cookie, 'unregister', password)).status).toBe(429)
    expect((await confirmOn(app, cookie, 'passwordChange', password)).status).toBe(429)
  })

  it('checks at most 5 of 12 parallel wrong current passwords', async () => {
    const { app, cookie } = await signedUp()
    const responses = await Promise.all(Array.from({ length: 12 }, () => confirmOn(app, cookie, 'passwordChange', wrongPassword)))
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(12)
    expect((await confirmOn(app, cookie, 'passwordChange', password)).status).toBe(429)
  })

  it('follows rateLimits.passwordConfirmPerUser', async () => {
    const { app, cookie } = await signedUp(createTestApp(framework, { rateLimits: { passwordConfirmPerUser: { max: 2, windowSeconds: 60 } } }))
    for (let attempt = 1; attempt <= 2; attempt++) expect((await confirmOn(app, cookie, 'unregister', wrongPassword)).status).toBe(401)
    const third = await confirmOn(app, cookie, 'unregister', password)
    expect(third.status).toBe(429)
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60)
  })
})

describe('rateLimits.passwordConfirmPerUser', () => {
  it('is validated with the other options', () => {
    const create = () => createGatehouse({ baseUrl: 'http://app.test', rateLimits: { passwordConfirmPerUser: { max: 0, windowSeconds: 60 } } })
    expect(create).toThrow(ConfigError)
    expect(create).toThrow(/rateLimits\.passwordConfirmPerUser\.max/)
  })

  it('defaults to 5 per 15 minutes', () => {
    expect(createGatehouse({ baseUrl: 'http://app.test' }).config.rateLimits.passwordConfirmPerUser).toEqual({ max: 5, windowSeconds: 900 })
  })
})
