import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { authRoutes } from '../../adapters/express/index.js'
import { createGatehouse } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { createTestApp, fastHashing, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const email = 'jane@example.com'
const password = 'correct horse battery'

describe.each(frameworks)('%s: bad input gets a 4xx with a code, never a 500, and changes nothing', (framework) => {
  async function signedUp() {
    const app = createTestApp(framework)
    const res = await request(app.handler).post('/auth/signup').send({ email, password })
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']) }
  }

  it('malformed JSON', async () => {
    const { app } = await signedUp()
    const res = await request(app.handler).post('/auth/session').set('Content-Type', 'application/json').send('{"email": "jane@')
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('INVALID_JSON')
  })

  it.each([
    ['numbers for strings', { email: 5, password: 6 }],
    ['missing fields', {}],
    ['an array', [1, 2]],
    ['null password', { email, password: null }],
    ['not an e-mail', { email: 'nope', password }],
    ['a huge password', { email, password: 'x'.repeat(5000) }],
  ])('wrong types: %s', async (_label, body) => {
    const { app } = await signedUp()
    const res = await request(app.handler).post('/auth/session').send(body as object)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('INVALID_REQUEST')
    expect(Array.isArray(res.body.error.details)).toBe(true)
    expect(JSON.stringify(res.body)).not.toContain('xxxx')
  })

  it('a 1 MB body gets 413 and creates nothing', async () => {
    const { app } = await signedUp()
    const res = await request(app.handler).post('/auth/signup').set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'big@example.com', password, name: 'x'.repeat(1024 * 1024) }))
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(await app.gate.storage.users.getByEmail('big@example.com')).toBeNull()
  })

  it('unknown ids get 404; malformed credentials get 401', async () => {
    const { app, cookie } = await signedUp()
    const unknown = await request(app.handler).delete('/auth/sessions/does-not-exist').set('Cookie', cookie)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('NOT_FOUND')
    const encoded = await request(app.handler).delete('/auth/sessions/%E0%A4%A').set('Cookie', cookie)
    expect(encoded.status).toBeLessThan(500)
    for (const authorization of ['Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64'), 'Bearer', 'Negotiate abc', `Bearer ghs_${'a'.repeat(5000)}`]) {
      const res = await request(app.handler).get('/api/projects').set('Authorization', authorization)
      expect(res.status, authorization.slice(0, 20)).toBe(401)
      expect(res.body.error.code).toMatch(/^[A-Z_]+$/)
    }
    const badCookie = await request(app.handler).get('/api/projects').set('Cookie', 'gatehouse_session=%%%; other=1')
    expect(badCookie.status).toBe(401)
  })

  it('form-encoded login works, unknown media types are refused', async () => {
    const { app } = await signedUp()
    const form = await request(app.handler).post('/auth/session').type('form').send({ email, password })
    expect(form.status).toBe(200)
    const text = await request(app.handler).post('/auth/session').set('Content-Type', 'text/xml').send('<a/>')
    expect(text.status).toBeGreaterThanOrEqual(400)
    expect(text.status).toBeLessThan(500)
  })

  // A cross-site form or no-cors fetch can send a body as text/plain or without a type, never as JSON.
  it.each([
    ['no Content-Type', null],
    ['text/plain', 'text/plain;charset=UTF-8'],
  ])('a body with %s gets 415 and changes nothing', async (_label, type) => {
    const { app, cookie } = await signedUp()
    const typed = (post: request.Test) => (type === null ? post : post.set('Content-Type', type))
    const login = await typed(request(app.handler).post('/auth/session')).send(Buffer.from(JSON.stringify({ email, password })))
    expect(login.status).toBe(415)
    expect(login.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect(login.headers['set-cookie']).toBeUndefined()
    const profile = await typed(request(app.handler).patch('/auth/profile').set('Cookie', cookie)).send(Buffer.from('{"name":"Mallory"}'))
    expect(profile.status).toBe(415)
    expect((await app.gate.storage.users.getByEmail(email))?.name).toBeNull()
  })

  it('an empty body without Content-Type is no body at all', async () => {
    const { app, cookie } = await signedUp()
    expect((await request(app.handler).post('/auth/totp').set('Cookie', cookie)).status).toBe(200)
    const login = await request(app.handler).post('/auth/session')
    expect(login.status).toBe(400)
    expect(login.body.error.code).toBe('INVALID_REQUEST')
    expect((await request(app.handler).delete('/auth/session').set('Cookie', cookie)).status).toBe(204)
  })

  it('unknown profile fields are refused and change nothing', async () => {
    const { app, cookie } = await signedUp()
    const res = await request(app.handler).patch('/auth/profile').set('Cookie', cookie).send({ name: 'Mallory', isAdmin: true })
    expect(res.status).toBe(400)
    expect((await app.gate.storage.users.getByEmail(email))?.name).toBeNull()
  })
})

describe('stored secrets', () => {
  it.each(frameworks)('%s: keeps only hashes of passwords and session tokens, and logs none of them', async (framework) => {
    const logged: string[] = []
    const app = createTestApp(framework, { logger: { error: (message, meta) => logged.push(message + JSON.stringify(meta)) } })
    const signup = await request(app.handler).post('/auth/signup').send({ email, password })
    const login = await request(app.handler).post('/auth/session?cookie=false').send({ email, password })
    await request(app.handler).post('/auth/session').send({ email, password: 'wrong password' })
    const cookieToken = sessionCookieOf(signup.headers['set-cookie']).split('=')[1]!
    const user = await app.gate.storage.users.getByEmail(email)
    const sessions = await app.gate.storage.sessions.listByUser(user!.id)
    const dump = JSON.stringify({ user, sessions })
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/)
    expect(sessions).toHaveLength(2)
    for (const secret of [password, cookieToken, login.body.token as string]) {
      expect(dump).not.toContain(secret)
      expect(logged.join('\n')).not.toContain(secret)
    }
  })
})

describe.each(frameworks)('%s: a host body parser that takes any Content-Type', (framework) => {
  function lenientApp() {
    const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing })
    return mountHost(framework, gate, { hostParser: 'any-content-type' })
  }

  it('still refuses a body without a JSON or form type with 415, and takes an empty one', async () => {
    const app = lenientApp()
    for (const type of [null, 'text/plain']) {
      const post = request(app).post('/auth/signup')
      if (type !== null) post.set('Content-Type', type)
      const res = await post.send(Buffer.from(JSON.stringify({ email, password })))
      expect(res.status, String(type)).toBe(415)
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    }
    expect((await request(app).post('/auth/signup')).status).toBe(400)
    expect((await request(app).post('/auth/signup').send({ email, password })).status).toBe(201)
  })
})

describe('a host without a body parser, and one that consumed the stream', () => {
  function bareApp(before?: express.RequestHandler) {
    const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, maxBodyBytes: 2048 })
    const app = express()
    if (before !== undefined) app.use(before)
    app.use('/auth', authRoutes(gate))
    return app
  }

  it('reads the body itself and enforces maxBodyBytes', async () => {
    const app = bareApp()
    expect((await request(app).post('/auth/signup').send({ email, password })).status).toBe(201)
    const big = await request(app).post('/auth/signup').send({ email: 'b@example.com', password, name: 'x'.repeat(4096) })
    expect(big.status).toBe(413)
  })

  it('refuses a body without Content-Type with 415', async () => {
    const res = await request(bareApp()).post('/auth/signup').send(Buffer.from(JSON.stringify({ email, password })))
    expect(res.status).toBe(415)
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('does not hang when another middleware drained the stream without setting req.body', async () => {
    const app = bareApp((req, _res, next) => {
      req.resume()
      req.on('end', () => next())
    })
    const res = await request(app).post('/auth/signup').send({ email, password }).timeout(5000)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('INVALID_REQUEST')
  })
})
