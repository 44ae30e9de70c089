import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDeliveryTestApp, linkIn, pathOf, signUpOver } from '../support/delivery-apps.js'
import { type TestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'
import { createSecondFactorApp } from '../support/second-factor-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'
const step = 30_000

describe.each(frameworks)('%s: TOTP, recovery codes and the second-factor step', (framework) => {
  async function signUp(app: TestApp = createSecondFactorApp(framework)) {
    const res = await request(app.handler).post('/auth/signup').send({ email, password })
    expect(res.status).toBe(201)
    return { app, cookie: sessionCookieOf(res.headers['set-cookie']) }
  }

  /** A user with confirmed TOTP: the secret, the recovery codes and the session that enrolled. */
  async function withTotp(app?: TestApp) {
    const { app: host, cookie } = await signUp(app)
    const enable = await request(host.handler).post('/auth/totp').set('Cookie', cookie)
    expect(enable.status).toBe(200)
    const secret: string = enable.body.secret
    const confirm = await request(host.handler).post('/auth/totp/confirm').set('Cookie', cookie)
      .send({ code: referenceTotpAt(secret, host.clock.now()) })
    expect(confirm.status).toBe(200)
    host.clock.advance(step) // the confirming code's step is spent
    // Confirming proved the factor, so the session was rotated to one that counts it.
    return { app: host, cookie: sessionCookieOf(confirm.headers['set-cookie']), secret, recoveryCodes: confirm.body.recoveryCodes as string[] }
  }

  async function loginPending(app: TestApp) {
    const res = await request(app.handler).post('/auth/session').send({ email, password })
    expect(res.status).toBe(200)
    expect(res.body.pending).toBe(true)
    return { res, pending: sessionCookieOf(res.headers['set-cookie']) }
  }

  function verify(app: TestApp, cookie: string, method: string, code: unknown) {
    return request(app.handler).post('/auth/session/second-factor').set('Cookie', cookie).set('Origin', origin).send({ method, code })
  }

  it('enrols: secret, otpauth URL and SVG QR code; inactive until a correct code; secret encrypted at rest', async () => {
    const { app, cookie } = await signUp()
    const enable = await request(app.handler).post('/auth/totp').set('Cookie', cookie)
    expect(enable.status).toBe(200)
    expect(enable.headers['cache-control']).toBe('no-store')
    const { secret, otpauthUrl, qrCodeSvg } = enable.body
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUrl).toBe(`otpauth://totp/app.test:jane%40example.com?secret=${secret}&issuer=app.test`)
    expect(qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)

    // Not active yet: login is complete without a second step.
    const early = await request(app.handler).post('/auth/session').send({ email, password })
    expect(early.body.pending).toBeUndefined()
    expect(early.body.user.email).toBe(email)

    const user = (await app.gate.storage.users.getByEmail(email))!
    const [stored] = await app.gate.storage.factors.listByUser(user.id, 'totp')
    expect(stored!.confirmedAt).toBeNull()
    expect(stored!.secret).not.toContain(secret)

    const wrong = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie)
      .send({ code: referenceTotpAt(secret, app.clock.now() + 5 * step) })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    expect((await app.gate.storage.factors.listByUser(user.id, 'totp'))[0]!.confirmedAt).toBeNull()

    const confirm = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie).send({ code: referenceTotpAt(secret, app.clock.now()) })
    expect(confirm.status).toBe(200)
    const codes: string[] = confirm.body.recoveryCodes
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/)
    const storedCodes = await app.gate.storage.factors.listByUser(user.id, 'recovery_code')
    expect(storedCodes).toHaveLength(10)
    for (const record of storedCodes) {
      expect(record.secret).toMatch(/^[0-9a-f]{64}$/)
      expect(codes.some((code) => record.secret.includes(code.replace('-', '')))).toBe(false)
    }

    // Enrolment proved the factor: the session is rotated to one that counts it; the old token is dead, and its cookie cleared.
    const rotated = sessionCookieOf(confirm.headers['set-cookie'])
    expect(rotated).not.toBe(cookie)
    expect(confirm.body.session.id).toBeTypeOf('string')
    expect(confirm.body.token).toBeUndefined()
    const stale = await request(app.handler).get('/auth/session').set('Cookie', cookie)
    expect(stale.status).toBe(401)
    expect(String(stale.headers['set-cookie'])).toMatch(/gatehouse_session=;.*Max-Age=0/)
    const again = await request(app.handler).post('/auth/totp').set('Cookie', rotated)
    expect(again.status).toBe(409)
    const current = await request(app.handler).get('/auth/session').set('Cookie', rotated)
    expect(current.body.secondFactors).toEqual(['totp', 'recovery_code'])
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['password', 'totp'])
    expect((await request(app.handler).get('/auth/login-options')).body.totp).toBe(true)
  })

  it('login gives a pending session that can only complete the second factor; completing rotates the token', async () => {
    const { app, secret } = await withTotp()
    const { res, pending } = await loginPending(app)
    expect(res.body).toEqual({ pending: true, secondFactors: ['totp', 'recovery_code'] })

    for (const [method, path] of [
      ['get', '/api/projects'],
      ['get', '/api/admin'],
      ['get', '/auth/session'],
      ['get', '/auth/sessions'],
      ['get', '/auth/profile'],
      ['post', '/auth/totp'],
      ['post', '/auth/recovery-codes'],
      ['delete', '/auth/totp'],
    ] as const) {
      const refused = await request(app.handler)[method](path).set('Cookie', pending).set('Origin', origin).send({ password })
      expect(refused.status, `${method} ${path}`).toBe(403)
      expect(refused.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    }
    const info = await request(app.handler).get('/auth/session/second-factor').set('Cookie', pending)
    expect(info.status).toBe(200)
    expect(info.body).toEqual({ secondFactors: ['totp', 'recovery_code'] })

    const done = await verify(app, pending, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect(done.status).toBe(200)
    expect(done.body.user.email).toBe(email)
    expect(done.body.session.pendingSecondFactor).toBe(false)
    const full = sessionCookieOf(done.headers['set-cookie'])
    expect(full).not.toBe(pending)
    expect((await request(app.handler).get('/api/projects').set('Cookie', pending)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Cookie', full)).status).toBe(200)
    expect((await request(app.handler).get('/api/admin').set('Cookie', full)).status).toBe(200)
    const current = await request(app.handler).get('/auth/session').set('Cookie', full)
    // Like every time in a response, a factor's time is ISO, not epoch ms.
    const now = new Date(app.clock.now()).toISOString()
    expect(current.body.factors).toEqual([
      { method: 'password', at: now },
      { method: 'totp', at: now },
    ])
    expect(current.body.secondFactors).toEqual(['totp', 'recovery_code'])
  })

  it('a pending session may log out, and expires after ten minutes', async () => {
    const { app, secret } = await withTotp()
    const first = await loginPending(app)
    const logout = await request(app.handler).delete('/auth/session').set('Cookie', first.pending).set('Origin', origin)
    expect(logout.status).toBe(204)
    expect((await request(app.handler).get('/auth/session/second-factor').set('Cookie', first.pending)).status).toBe(401)

    const second = await loginPending(app)
    app.clock.advance(11 * 60 * 1000)
    const late = await verify(app, second.pending, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect(late.status).toBe(401)
    expect(late.body.error.code).toBe('SESSION_EXPIRED')
  })

  it('works with bearer tokens: ?cookie=false on login and on the verify step', async () => {
    const { app, secret } = await withTotp()
    const login = await request(app.handler).post('/auth/session?cookie=false').send({ email, password })
    expect(login.status).toBe(200)
    expect(login.headers['set-cookie']).toBeUndefined()
    expect(login.body).toEqual({ pending: true, secondFactors: ['totp', 'recovery_code'], token: expect.stringMatching(/^ghs_/) })
    const pendingBearer = `Bearer ${login.body.token}`
    expect((await request(app.handler).get('/api/projects').set('Authorization', pendingBearer)).status).toBe(403)
    const done = await request(app.handler).post('/auth/session/second-factor?cookie=false').set('Authorization', pendingBearer)
      .send({ method: 'totp', code: referenceTotpAt(secret, app.clock.now()) })
    expect(done.status).toBe(200)
    expect(done.body.token).toMatch(/^ghs_/)
    expect(done.body.token).not.toBe(login.body.token)
    expect((await request(app.handler).get('/api/projects').set('Authorization', pendingBearer)).status).toBe(401)
    expect((await request(app.handler).get('/api/projects').set('Authorization', `Bearer ${done.body.token}`)).status).toBe(200)
  })

  it('Basic credentials do not bypass the second factor; a Basic login gets a pending session', async () => {
    const { app } = await withTotp()
    const guarded = await request(app.handler).get('/api/projects').auth(email, password)
    expect(guarded.status).toBe(403)
    expect(guarded.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    const login = await request(app.handler).post('/auth/session').auth(email, password)
    expect(login.status).toBe(200)
    expect(login.body.pending).toBe(true)
    expect(login.body.user).toBeUndefined()
  })

  it('refuses a replayed code within the window, also when two requests race', async () => {
    const { app, secret } = await withTotp()
    const code = referenceTotpAt(secret, app.clock.now())
    const first = await loginPending(app)
    expect((await verify(app, first.pending, 'totp', code)).status).toBe(200)
    app.clock.advance(10_000) // same step, still inside the window
    const second = await loginPending(app)
    const replay = await verify(app, second.pending, 'totp', code)
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('CODE_ALREADY_USED')
    // An older step than the last used one is refused too.
    const older = await verify(app, second.pending, 'totp', referenceTotpAt(secret, app.clock.now() - step))
    expect([older.status, older.body.error.code]).toEqual([401, 'CODE_ALREADY_USED'])

    app.clock.advance(step)
    const [a, b] = [await loginPending(app), await loginPending(app)]
    const fresh = referenceTotpAt(secret, app.clock.now())
    const results = await Promise.all([verify(app, a.pending, 'totp', fresh), verify(app, b.pending, 'totp', fresh)])
    expect(results.map((res) => res.status).sort()).toEqual([200, 401])
    expect(results.find((res) => res.status === 401)!.body.error.code).toBe('CODE_ALREADY_USED')
  })

  it('accepts one step of clock skew each side and refuses two', async () => {
    const { app, secret } = await withTotp()
    app.clock.advance(10 * step)
    const now = app.clock.now()
    const ahead = await loginPending(app)
    expect((await verify(app, ahead.pending, 'totp', referenceTotpAt(secret, now + 2 * step))).status).toBe(401)
    expect((await verify(app, ahead.pending, 'totp', referenceTotpAt(secret, now - 2 * step))).status).toBe(401)
    expect((await verify(app, ahead.pending, 'totp', referenceTotpAt(secret, now - step))).status).toBe(200)
    const behind = await loginPending(app)
    expect((await verify(app, behind.pending, 'totp', referenceTotpAt(secret, now + step))).status).toBe(200)
  })

  it('refuses codes of another secret, including a replaced enrolment', async () => {
    const { app, cookie } = await signUp()
    const old = (await request(app.handler).post('/auth/totp').set('Cookie', cookie)).body.secret as string
    const current = (await request(app.handler).post('/auth/totp').set('Cookie', cookie)).body.secret as string
    expect(current).not.toBe(old)
    const stale = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie).send({ code: referenceTotpAt(old, app.clock.now()) })
    expect(stale.status).toBe(401)
    const other = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const foreign = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie).send({ code: referenceTotpAt(other, app.clock.now()) })
    expect(foreign.status).toBe(401)
    const ok = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie).send({ code: referenceTotpAt(current, app.clock.now()) })
    expect(ok.status).toBe(200)
    app.clock.advance(step)
    const { pending } = await loginPending(app)
    expect((await verify(app, pending, 'totp', referenceTotpAt(other, app.clock.now()))).status).toBe(401)
  })

  it('locks TOTP after five failures (429 with Retry-After) while recovery codes still work', async () => {
    const { app, secret, recoveryCodes } = await withTotp()
    const { pending } = await loginPending(app)
    const wrong = referenceTotpAt(secret, app.clock.now() + 10 * step)
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await verify(app, pending, 'totp', wrong)
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('INVALID_CODE')
    }
    const locked = await verify(app, pending, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('RATE_LIMITED')
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    const viaRecovery = await verify(app, pending, 'recovery_code', recoveryCodes[0])
    expect(viaRecovery.status).toBe(200)

    app.clock.advance(16 * 60 * 1000)
    const again = await loginPending(app)
    expect((await verify(app, again.pending, 'totp', referenceTotpAt(secret, app.clock.now()))).status).toBe(200)
  })

  it('a success clears the failure count', async () => {
    const { app, secret } = await withTotp()
    const first = await loginPending(app)
    for (let attempt = 1; attempt <= 4; attempt++) expect((await verify(app, first.pending, 'totp', '000000')).status).toBe(401)
    expect((await verify(app, first.pending, 'totp', referenceTotpAt(secret, app.clock.now()))).status).toBe(200)
    app.clock.advance(step)
    const second = await loginPending(app)
    for (let attempt = 1; attempt <= 4; attempt++) expect((await verify(app, second.pending, 'totp', '000000')).status).toBe(401)
    expect((await verify(app, second.pending, 'totp', referenceTotpAt(secret, app.clock.now()))).status).toBe(200)
  })

  it('recovery codes: single use, any case and spacing; regenerating revokes the old set', async () => {
    const { app, cookie, recoveryCodes } = await withTotp()
    const [first, second] = recoveryCodes as [string, string]
    const a = await loginPending(app)
    const used = await verify(app, a.pending, 'recovery_code', ` ${first.toUpperCase().replace('-', ' ')} `)
    expect(used.status).toBe(200)
    const b = await loginPending(app)
    const reuse = await verify(app, b.pending, 'recovery_code', first)
    expect(reuse.status).toBe(401)
    expect(reuse.body.error.code).toBe('INVALID_CODE')

    const regenerate = await request(app.handler).post('/auth/recovery-codes').set('Cookie', cookie).set('Origin', origin)
    expect(regenerate.status).toBe(200)
    const fresh: string[] = regenerate.body.recoveryCodes
    expect(fresh).toHaveLength(10)
    expect(fresh).not.toContain(second)
    expect((await verify(app, b.pending, 'recovery_code', second)).status).toBe(401)
    expect((await verify(app, b.pending, 'recovery_code', fresh[0])).status).toBe(200)
  })

  it('disables TOTP with the password or a code; then login is complete and the factor is gone', async () => {
    const { app, cookie, secret } = await withTotp()
    const disable = (body: object) => request(app.handler).delete('/auth/totp').set('Cookie', cookie).set('Origin', origin).send(body)
    expect((await disable({})).status).toBe(400)
    expect((await disable({ code: '123456', password })).status).toBe(400)
    const wrongPassword = await disable({ password: 'not my password' })
    expect(wrongPassword.status).toBe(401)
    expect(wrongPassword.body.error.code).toBe('INVALID_CREDENTIALS')
    const wrongCode = await disable({ code: referenceTotpAt(secret, app.clock.now() + 9 * step) })
    expect(wrongCode.status).toBe(401)
    expect(wrongCode.body.error.code).toBe('INVALID_CODE')
    expect((await loginPending(app)).res.body.pending).toBe(true)

    const disabled = await disable({ code: referenceTotpAt(secret, app.clock.now()) })
    expect(disabled.body).toEqual({})
    expect(disabled.status).toBe(204)
    expect((await disable({ password })).status).toBe(404)
    const user = (await app.gate.storage.users.getByEmail(email))!
    expect(await app.gate.storage.factors.listByUser(user.id)).toEqual([])
    const login = await request(app.handler).post('/auth/session').send({ email, password })
    expect(login.body.pending).toBeUndefined()
    const full = sessionCookieOf(login.headers['set-cookie'])
    expect((await request(app.handler).get('/auth/session').set('Cookie', full)).body.secondFactors).toEqual([])
    const noFactor = await verify(app, full, 'totp', referenceTotpAt(secret, app.clock.now() + step))
    expect(noFactor.status).toBe(400)
    expect(noFactor.body.error.code).toBe('FACTOR_NOT_ENABLED')
    const regenerate = await request(app.handler).post('/auth/recovery-codes').set('Cookie', full).set('Origin', origin)
    expect(regenerate.status).toBe(400)
    expect(regenerate.body.error.code).toBe('FACTOR_NOT_ENABLED')

    // Password path: enrol again, disable with the password.
    const renewed = (await request(app.handler).post('/auth/totp').set('Cookie', full)).body.secret as string
    app.clock.advance(step)
    const confirmed = await request(app.handler).post('/auth/totp/confirm').set('Cookie', full).send({ code: referenceTotpAt(renewed, app.clock.now()) })
    expect(confirmed.status).toBe(200)
    const rotated = sessionCookieOf(confirmed.headers['set-cookie'])
    expect((await request(app.handler).delete('/auth/totp').set('Cookie', rotated).set('Origin', origin).send({ password })).status).toBe(204)
    expect(await app.gate.secondFactor.list({ userId: user.id })).toEqual([])
  })

  it('step-up: guards with secondFactor and secondFactorWithinSeconds answer 403 until a factor is given', async () => {
    const { app, cookie: enrolling } = await signUp()
    // A second session signed in with the password only, before TOTP existed.
    const cookie = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    const secret = (await request(app.handler).post('/auth/totp').set('Cookie', enrolling)).body.secret as string
    const confirm = await request(app.handler).post('/auth/totp/confirm').set('Cookie', enrolling).send({ code: referenceTotpAt(secret, app.clock.now()) })
    // The enrolling session proved the factor, so step-up guards let it through at once.
    const enrolled = sessionCookieOf(confirm.headers['set-cookie'])
    for (const path of ['/api/admin', '/api/billing']) expect((await request(app.handler).get(path).set('Cookie', enrolled)).status).toBe(200)
    app.clock.advance(step)
    for (const path of ['/api/admin', '/api/billing']) {
      const res = await request(app.handler).get(path).set('Cookie', cookie)
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    }
    expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    const user = (await app.gate.storage.users.getByEmail(email))!
    const sessions = await app.gate.storage.sessions.listByUser(user.id)
    const before = sessions.find((session) => session.factors.length === 1)

    const stepUp = await verify(app, cookie, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect(stepUp.status).toBe(200)
    // A step-up rotates the token but keeps the session's absolute end.
    const after = (await app.gate.storage.sessions.listByUser(user.id)).find((session) => session.id !== before!.id && session.factors.length === 2 && session.createdAt === app.clock.now())
    expect(after).toBeDefined()
    expect(after!.expiresAt).toBe(before!.expiresAt)
    const upgraded = sessionCookieOf(stepUp.headers['set-cookie'])
    expect((await request(app.handler).get('/api/admin').set('Cookie', cookie)).status).toBe(401)
    expect((await request(app.handler).get('/api/admin').set('Cookie', upgraded)).body.user.email).toBe(email)
    expect((await request(app.handler).get('/api/billing').set('Cookie', upgraded)).status).toBe(200)

    app.clock.advance(6 * 60 * 1000)
    expect((await request(app.handler).get('/api/admin').set('Cookie', upgraded)).status).toBe(200)
    const stale = await request(app.handler).get('/api/billing').set('Cookie', upgraded)
    expect(stale.status).toBe(403)
    expect(stale.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    const again = await verify(app, upgraded, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect((await request(app.handler).get('/api/billing').set('Cookie', sessionCookieOf(again.headers['set-cookie']))).status).toBe(200)
  })

  it('secondary password: a per-user second step, refused when equal to the account password', async () => {
    const { app } = await signUp()
    const user = (await app.gate.storage.users.getByEmail(email))!
    await expect(app.gate.secondFactor.setSecondaryPassword({ userId: user.id, password })).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      details: [{ path: 'password', message: 'must differ from the account password' }],
    })
    await expect(app.gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'short' })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' })
    await app.gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'second secret phrase' })
    const [stored] = await app.gate.storage.factors.listByUser(user.id, 'secondary_password')
    expect(stored!.secret).toMatch(/^\$argon2id\$/)

    const { res, pending } = await loginPending(app)
    expect(res.body.secondFactors).toEqual(['secondary_password'])
    expect((await verify(app, pending, 'totp', '123456')).body.error.code).toBe('FACTOR_NOT_ENABLED')
    expect((await verify(app, pending, 'secondary_password', 'wrong phrase')).status).toBe(401)
    const done = await verify(app, pending, 'secondary_password', 'second secret phrase')
    expect(done.status).toBe(200)
    const full = sessionCookieOf(done.headers['set-cookie'])
    expect((await request(app.handler).get('/api/admin').set('Cookie', full)).status).toBe(200)

    expect(await app.gate.secondFactor.removeSecondaryPassword({ userId: user.id })).toBe(true)
    expect((await request(app.handler).post('/auth/session').send({ email, password })).body.pending).toBeUndefined()
  })

  it('secondary password: only wrong answers count, so 8 parallel right ones all pass', async () => {
    const { app } = await signUp()
    const user = (await app.gate.storage.users.getByEmail(email))!
    await app.gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'second secret phrase' })
    const pendings: string[] = []
    for (let login = 0; login < 8; login++) pendings.push((await loginPending(app)).pending)
    const done = await Promise.all(pendings.map((pending) => verify(app, pending, 'secondary_password', 'second secret phrase')))
    expect(done.map((res) => res.status)).toEqual(Array(8).fill(200))

    const { pending } = await loginPending(app)
    for (let attempt = 1; attempt <= 5; attempt++) expect((await verify(app, pending, 'secondary_password', 'wrong phrase')).status).toBe(401)
    expect((await verify(app, pending, 'secondary_password', 'second secret phrase')).status).toBe(429)
  })

  it('answers 400 for bad input and changes nothing', async () => {
    const { app, secret } = await withTotp()
    const { pending } = await loginPending(app)
    for (const body of [{}, { method: 'sms', code: '123456' }, { method: 'totp', code: 123456 }, { method: 'totp' }, { method: 'totp', code: 'x'.repeat(5000) }]) {
      const res = await request(app.handler).post('/auth/session/second-factor').set('Cookie', pending).send(body)
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    const notJson = await request(app.handler).post('/auth/session/second-factor').set('Cookie', pending).set('Content-Type', 'application/json').send('{"method":')
    expect(notJson.status).toBeGreaterThanOrEqual(400)
    expect(notJson.status).toBeLessThan(500)
    // Malformed codes count as wrong codes, never as errors.
    for (const code of ['abcdef', '1', '１２３４５６']) expect((await verify(app, pending, 'totp', code)).status).toBe(401)
    const done = await verify(app, pending, 'totp', referenceTotpAt(secret, app.clock.now()))
    expect(done.status).toBe(200)
    const full = sessionCookieOf(done.headers['set-cookie'])
    for (const body of [{ code: 5 }, { password: null }, { code: ['123456'] }, [1, 2]]) {
      const res = await request(app.handler).delete('/auth/totp').set('Cookie', full).set('Origin', origin).send(body as object)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }
    const huge = await request(app.handler).post('/auth/totp/confirm').set('Cookie', full).set('Origin', origin).send({ code: 'x'.repeat(70_000) })
    // 413 when gatehouse reads the body; 400 when the host's own parser (express.json) already took it.
    expect([400, 413]).toContain(huge.status)
    const user = (await app.gate.storage.users.getByEmail(email))!
    expect(await app.gate.secondFactor.list({ userId: user.id })).toEqual(['totp', 'recovery_code'])
    expect(await app.gate.storage.factors.listByUser(user.id, 'recovery_code')).toHaveLength(10)
    const other = await signUp(createSecondFactorApp(framework))
    const badConfirm = await request(other.app.handler).post('/auth/totp/confirm').set('Cookie', other.cookie).send({ code: [] })
    expect(badConfirm.status).toBe(400)
    expect(badConfirm.body.error.code).toBe('INVALID_REQUEST')
    const noEnrolment = await request(other.app.handler).post('/auth/totp/confirm').set('Cookie', other.cookie).send({ code: '123456' })
    expect(noEnrolment.status).toBe(404)
  })
})

describe('gate.totp and gate.secondFactor (server to server)', () => {
  it('enables, confirms, verifies once per step and disables by user id', async () => {
    const app = createSecondFactorApp('express', { secondFactor: { totp: { algorithm: 'sha256', digits: 8, issuer: 'Acme' }, recoveryCodeCount: 4 } })
    const user = await app.gate.users.signUp({ email, password })
    const { secret, otpauthUrl } = await app.gate.totp.enable({ userId: user.id })
    expect(secret).toMatch(/^[A-Z2-7]{52}$/)
    expect(otpauthUrl).toContain('algorithm=SHA256')
    expect(otpauthUrl).toContain('digits=8')
    const options = { algorithm: 'sha256', digits: 8 } as const
    await expect(app.gate.totp.verify({ userId: user.id, code: referenceTotpAt(secret, app.clock.now(), options) })).rejects.toMatchObject({ code: 'FACTOR_NOT_ENABLED' })
    expect(await app.gate.totp.confirm({ userId: user.id, code: referenceTotpAt(secret, app.clock.now(), options) })).toHaveLength(4)
    app.clock.advance(step)
    const code = referenceTotpAt(secret, app.clock.now(), options)
    expect(await app.gate.totp.verify({ userId: user.id, code })).toBe(true)
    await expect(app.gate.totp.verify({ userId: user.id, code })).rejects.toMatchObject({ code: 'CODE_ALREADY_USED', status: 401 })
    expect(await app.gate.totp.verify({ userId: user.id, code: referenceTotpAt(secret, app.clock.now() + 9 * step, options) })).toBe(false)
    expect(await app.gate.secondFactor.list({ userId: user.id })).toEqual(['totp', 'recovery_code'])
    expect(await app.gate.totp.disable({ userId: user.id })).toBe(true)
    expect(await app.gate.secondFactor.list({ userId: user.id })).toEqual([])
  })

  it('refuses unknown secondFactor options in one ConfigError', () => {
    expect(() => createSecondFactorApp('express', { secondFactor: { totp: { digits: 4, algorithm: 'md5' as 'sha1' }, recoveryCodeCount: 0 } }))
      .toThrow(expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringMatching(/^secondFactor\.totp\.digits:/),
          expect.stringMatching(/^secondFactor\.totp\.algorithm:/),
          expect.stringMatching(/^secondFactor\.recoveryCodeCount:/),
        ]),
      }))
  })
})

describe.each(frameworks)('%s: the second factor with delivery: sent codes (otp) and magic links', (framework) => {
  function codeIn(text: string | undefined): string {
    const match = /\b(\d{6})\b/.exec(text ?? '')
    if (match === null) throw new Error('no code in the message')
    return match[1]!
  }

  async function enrolledUser(otp: boolean) {
    const app = createDeliveryTestApp(framework, { secondFactor: { otp } })
    const cookie = await signUpOver(app, email, password)
    const secret = (await request(app.handler).post('/auth/totp').set('Cookie', cookie)).body.secret as string
    const confirm = await request(app.handler).post('/auth/totp/confirm').set('Cookie', cookie).send({ code: referenceTotpAt(secret, app.clock.now()) })
    expect(confirm.status).toBe(200)
    const login = await request(app.handler).post('/auth/session').send({ email, password })
    return { app, login, pending: sessionCookieOf(login.headers['set-cookie']) }
  }

  async function sendCode(app: Awaited<ReturnType<typeof enrolledUser>>['app'], pending: string) {
    const sent = await request(app.handler).post('/auth/otp').set('Cookie', pending).set('Origin', origin).send({ medium: 'email' })
    expect(sent.status).toBe(202)
    expect(sent.body.sentTo).toEqual(['j***@example.com'])
    return codeIn(app.mailer.last(email)!.text)
  }

  function verifyOver(handler: TestApp['handler'], cookie: string, code: string) {
    return request(handler).post('/auth/session/second-factor').set('Cookie', cookie).set('Origin', origin).send({ method: 'otp', code })
  }

  it('with secondFactor.otp, a pending session asks for a code by e-mail and completes with it, once', async () => {
    const { app, login, pending } = await enrolledUser(true)
    expect(login.body.secondFactors).toEqual(['totp', 'recovery_code', 'otp'])
    const code = await sendCode(app, pending)
    const wrong = await verifyOver(app.handler, pending, code === '000000' ? '111111' : '000000')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    const done = await verifyOver(app.handler, pending, code)
    expect(done.status).toBe(200)
    const full = sessionCookieOf(done.headers['set-cookie'])
    const current = await request(app.handler).get('/auth/session').set('Cookie', full)
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['password', 'otp'])

    const again = sessionCookieOf((await request(app.handler).post('/auth/session').send({ email, password })).headers['set-cookie'])
    expect((await verifyOver(app.handler, again, code)).status).toBe(401)
  })

  it('without it, a sent code does not count as a second factor', async () => {
    const { app, login, pending } = await enrolledUser(false)
    expect(login.body.secondFactors).toEqual(['totp', 'recovery_code'])
    const code = await sendCode(app, pending)
    const refused = await verifyOver(app.handler, pending, code)
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('FACTOR_NOT_ENABLED')
    expect((await request(app.handler).get('/api/projects').set('Cookie', pending)).status).toBe(403)
  })

  it('a magic link to a user with a second factor also gives only a pending session', async () => {
    const { app } = await enrolledUser(false)
    // Verified already: a first proof of an unverified address would clear the factor (pre-account hijacking).
    const user = (await app.gate.storage.users.getByEmail(email))!
    await app.gate.storage.users.update(user.id, { emailVerifiedAt: app.clock.now() })
    expect((await request(app.handler).post('/auth/magic-link').send({ email })).status).toBe(202)
    await app.gate.delivery.drain()
    const res = await request(app.handler).get(pathOf(linkIn(app.mailer.last(email)!.text))).set('Accept', 'application/json')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ pending: true, secondFactors: ['totp', 'recovery_code'] })
    const viaLink = sessionCookieOf(res.headers['set-cookie'])
    expect((await request(app.handler).get('/api/projects').set('Cookie', viaLink)).status).toBe(403)
  })
})
