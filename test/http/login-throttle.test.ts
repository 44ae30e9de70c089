import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createTestApp, frameworks, type TestApp } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const wrongPassword = 'wrong horse battery'

function statusesOf(responses: { status: number }[]): number[] {
  return responses.map((response) => response.status).sort()
}

function countOf(statuses: number[], status: number): number {
  return statuses.filter((each) => each === status).length
}

describe.each(frameworks)('%s: login rate limits count failures only', (framework) => {
  async function signedUp(app: TestApp = createTestApp(framework), address = email): Promise<TestApp> {
    expect((await request(app.handler).post('/auth/signup').send({ email: address, password })).status).toBe(201)
    return app
  }

  const login = (app: TestApp, pass: string, address = email) => request(app.handler).post('/auth/session').send({ email: address, password: pass })
  const basicGuard = (app: TestApp, pass: string) => request(app.handler).get('/api/projects').auth(email, pass)

  it('lets 8 parallel correct logins of one account all succeed', async () => {
    const app = await signedUp()
    const statuses = statusesOf(await Promise.all(Array.from({ length: 8 }, () => login(app, password))))
    expect(statuses).toEqual(Array(8).fill(200))
  })

  it('lets 8 parallel correct Basic requests on a guarded route all succeed', async () => {
    const app = await signedUp()
    const statuses = statusesOf(await Promise.all(Array.from({ length: 8 }, () => basicGuard(app, password))))
    expect(statuses).toEqual(Array(8).fill(200))
  })

  it('locks the account after 5 wrong passwords, even for the right one, with Retry-After', async () => {
    const app = await signedUp()
    for (let attempt = 1; attempt <= 5; attempt++) expect((await login(app, wrongPassword)).status).toBe(401)
    const sixth = await login(app, password)
    expect(sixth.status).toBe(429)
    expect(sixth.body.error.code).toBe('RATE_LIMITED')
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0)
    expect((await basicGuard(app, password)).status).toBe(429)
  })

  it('locks Basic on a guarded route after 5 wrong passwords', async () => {
    const app = await signedUp()
    for (let attempt = 1; attempt <= 5; attempt++) expect((await basicGuard(app, wrongPassword)).status).toBe(401)
    const sixth = await basicGuard(app, password)
    expect(sixth.status).toBe(429)
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('clears the count with a success', async () => {
    const app = await signedUp()
    for (let attempt = 1; attempt <= 4; attempt++) expect((await login(app, wrongPassword)).status).toBe(401)
    expect((await login(app, password)).status).toBe(200)
    for (let attempt = 1; attempt <= 4; attempt++) expect((await basicGuard(app, wrongPassword)).status).toBe(401)
    expect((await basicGuard(app, password)).status).toBe(200)
    expect((await login(app, password)).status).toBe(200)
  })

  it('checks at most 5 of 20 parallel wrong passwords; the right one is then refused', async () => {
    const app = await signedUp()
    const statuses = statusesOf(await Promise.all(Array.from({ length: 20 }, () => login(app, wrongPassword))))
    expect(countOf(statuses, 401)).toBeLessThanOrEqual(5)
    expect(countOf(statuses, 401) + countOf(statuses, 429)).toBe(20)
    expect((await login(app, password)).status).toBe(429)
  })

  it('counts only failures per IP too: successes of many accounts pass, 5 failures lock the address', async () => {
    const app = createTestApp(framework, { rateLimits: { loginPerIp: { max: 5, windowSeconds: 900 } } })
    const accounts = Array.from({ length: 8 }, (_, index) => `user${index}@example.com`)
    for (const account of accounts) await signedUp(app, account)
    const statuses = statusesOf(await Promise.all(accounts.map((account) => login(app, password, account))))
    expect(statuses).toEqual(Array(8).fill(200))
    // Different accounts, so only the per-IP limit can refuse.
    for (const account of accounts.slice(0, 5)) expect((await login(app, wrongPassword, account)).status).toBe(401)
    const locked = await login(app, password, accounts[7])
    expect(locked.status).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('checks at most the per-IP maximum of parallel wrong passwords across accounts', async () => {
    const app = createTestApp(framework, { rateLimits: { loginPerIp: { max: 5, windowSeconds: 900 } } })
    const accounts = Array.from({ length: 12 }, (_, index) => `user${index}@example.com`)
    for (const account of accounts) await signedUp(app, account)
    const statuses = statusesOf(await Promise.all(accounts.map((account) => login(app, wrongPassword, account))))
    expect(countOf(statuses, 401)).toBeLessThanOrEqual(5)
    expect(countOf(statuses, 401) + countOf(statuses, 429)).toBe(12)
    expect((await login(app, password, accounts[11])).status).toBe(429)
  })
})
