import { createHash } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatehouseOptions } from '../../src/index.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js'
import { TEST_HOST } from '../support/bounded-clients.js'

const breached = 'correct horse battery'
const seenOnce = 'seen in one breach only'
const padded = 'only a padding line'
const fresh = 'a passphrase nobody leaked'
const email = 'breach@example.com'

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase()

/**
 * A range API of our own in the Have I Been Pwned protocol: `/range/<5 hex>` answers
 * `SUFFIX:COUNT` lines, padded with count-0 lines. `/slow/` never answers, `/broken/` answers 500.
 */
let server: LoopbackServer
let base: string
const counts = new Map([
  [sha1(breached), 3],
  [sha1(seenOnce), 1],
  [sha1(padded), 0],
])

beforeAll(async () => {
  const port = await findFreePort()
  server = await serveOnLoopback((req, res) => {
    const url = req.url ?? ''
    if (url.startsWith('/slow/')) return // never answers; the client's timeout must end it
    if (url.startsWith('/broken/')) {
      res.writeHead(500).end('no')
      return
    }
    const prefix = url.slice('/range/'.length)
    const lines = [...counts].filter(([hash]) => hash.startsWith(prefix)).map(([hash, count]) => `${hash.slice(5)}:${count}`)
    for (let index = 0; index < 20; index++) lines.push(`${index.toString(16).padStart(35, '0')}:0`)
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'))
  }, port)
  base = `http://${TEST_HOST}:${port}`
})
afterAll(() => server.close())

function appWith(framework: (typeof frameworks)[number], breachCheck: NonNullable<NonNullable<GatehouseOptions['passwords']>['breachCheck']>) {
  return createTestApp(framework, { passwords: { hashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 }, breachCheck } })
}

describe.each(frameworks)('%s: breached passwords', (framework) => {
  it('refuses a breached password at sign-up, saying why, and sends only a 5-character prefix with padding asked for', async () => {
    const app = appWith(framework, { failOpen: false, rangeUrl: `${base}/range/` })
    const before = server.requests.length
    const refused = await request(app.handler).post('/auth/signup').send({ email, password: breached })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'WEAK_PASSWORD', details: [{ path: 'password', message: 'appears in 3 known data breaches; choose another' }] })
    expect(await app.gate.storage.users.getByEmail(email)).toBeNull()
    const [sent] = server.requests.slice(before)
    expect(sent!.url).toBe(`/range/${sha1(breached).slice(0, 5)}`)
    expect(sent!.headers['add-padding']).toBe('true')
    expect(JSON.stringify(server.requests)).not.toContain(sha1(breached).slice(5))

    // A padding line (count 0) is no breach; a policy refusal asks nothing.
    expect((await request(app.handler).post('/auth/signup').send({ email, password: padded })).status).toBe(201)
    const asked = server.requests.length
    expect((await request(app.handler).post('/auth/signup').send({ email: 'short@example.com', password: 'short' })).status).toBe(400)
    expect(server.requests.length).toBe(asked)
  })

  it('applies to password change and reset, and minBreachCount sets the bar', async () => {
    const app = appWith(framework, { failOpen: false, rangeUrl: `${base}/range`, minBreachCount: 2 })
    const signup = await request(app.handler).post('/auth/signup').send({ email, password: seenOnce })
    expect(signup.status).toBe(201)
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const change = (newPassword: string) =>
      request(app.handler).post('/auth/password').set('Cookie', cookie).set('Origin', 'http://app.test').send({ currentPassword: seenOnce, newPassword })
    const refused = await change(breached)
    expect(refused.status).toBe(400)
    expect(refused.body.error.details).toEqual([{ path: 'newPassword', message: 'appears in 3 known data breaches; choose another' }])
    expect((await change(fresh)).status).toBe(204)
    const user = (await app.gate.storage.users.getByEmail(email))!
    await expect(app.gate.passwords.set({ userId: user.id, newPassword: breached })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' })
  })

  it('when the API is slow or broken, failOpen decides: accept, or 503 with nothing created', async () => {
    for (const path of ['/slow/', '/broken/']) {
      const closed = appWith(framework, { failOpen: false, rangeUrl: `${base}${path}`, timeoutMilliseconds: 200 })
      const started = Date.now()
      const refused = await request(closed.handler).post('/auth/signup').send({ email, password: fresh })
      expect(refused.status).toBe(503)
      expect(refused.body.error.code).toBe('PASSWORD_CHECK_UNAVAILABLE')
      expect(Date.now() - started).toBeLessThan(5000)
      expect(await closed.gate.storage.users.getByEmail(email)).toBeNull()

      const open = appWith(framework, { failOpen: true, rangeUrl: `${base}${path}`, timeoutMilliseconds: 200 })
      expect((await request(open.handler).post('/auth/signup').send({ email, password: fresh })).status).toBe(201)
    }
  })
})

describe('breachCheck options', () => {
  it('needs failOpen chosen, and a sane timeout', () => {
    expect(() => createTestApp('express', { passwords: { breachCheck: {} as never } })).toThrow(/passwords\.breachCheck\.failOpen/)
    expect(() => createTestApp('express', { passwords: { breachCheck: { failOpen: true, timeoutMilliseconds: 10 } } })).toThrow(/timeoutMilliseconds/)
  })
})
