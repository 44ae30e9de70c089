import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/crypto/sha256.js'
import { createGatehouse } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { linkIn } from '../support/delivery-apps.js'
import { fastHashing } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const secret = 'a-host-secret-that-is-long-enough-0123456789'
const featureNamespaces = ['sessions', 'users', 'passwords', 'tokens', 'totp', 'secondFactor', 'magicLinks', 'otp', 'passwordReset'] as const
const internalFields = /passwordHash|tokenHash|secretHash/

function createGate() {
  const clock = createFixedClock()
  const mailer = createCaptureMailer()
  const gate = createGatehouse({
    secret,
    baseUrl: 'http://app.test',
    clock,
    passwords: fastHashing,
    logger: { error: () => {} },
    delivery: { email: mailer },
    tokens: { scopes: ['read', 'tokens:write'] },
  })
  return { gate, clock, mailer }
}

function codeIn(text: string | undefined): string {
  const match = /\b(\d{6})\b/.exec(text ?? '')
  if (match === null) throw new Error(`no code in ${JSON.stringify(text)}`)
  return match[1]!
}

describe('the gate functions', () => {
  it('take object parameters and answer public shapes: no hash, and no secret but the one they issue', async () => {
    const { gate, clock, mailer } = createGate()
    const results = new Map<string, unknown>()
    const call = async <T>(name: string, result: Promise<T> | T): Promise<T> => {
      const value = await result
      results.set(name, value)
      return value
    }
    const email = 'ada@example.com'
    const [password, changed, reset] = ['first pass phrase', 'second pass phrase', 'third pass phrase']

    const user = await call('users.signUp', gate.users.signUp({ email: ' Ada@Example.com ', password, name: 'Ada' }))
    expect(user).toMatchObject({ email, name: 'Ada', emailVerified: false })
    const storedHashes = [(await gate.storage.users.getById(user.id))!.passwordHash!]
    await call('passwords.checkPolicy', gate.passwords.checkPolicy({ password: 'long enough phrase', email }))
    expect(() => gate.passwords.checkPolicy({ password: email, email })).toThrow(expect.objectContaining({ code: 'WEAK_PASSWORD' }))
    expect(await call('passwords.verifyLogin', gate.passwords.verifyLogin({ email: 'ADA@example.com', password, ip: '10.0.0.1' }))).toEqual(user)

    const issued = await call('sessions.issue', gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: clock.now() }] }))
    storedHashes.push(sha256Hex(issued.token))
    expect(await call('sessions.validate', gate.sessions.validate({ token: issued.token }))).toEqual({
      userId: user.id,
      session: issued.session,
      factors: [{ method: 'password', at: new Date(clock.now()).toISOString() }],
    })
    expect(await call('sessions.list', gate.sessions.list({ userId: user.id }))).toEqual([{ ...issued.session, ip: null, userAgent: null }])

    const parent = await call('tokens.create', gate.tokens.create({ userId: user.id, name: 'ci', scopes: ['read', 'tokens:write'] }))
    const child = await gate.tokens.create({ userId: user.id, scopes: ['read'], parentTokenId: parent.id })
    await expect(gate.tokens.create({ userId: user.id, scopes: ['read'], parentTokenId: 'no such token' })).rejects.toMatchObject({ status: 404 })
    const defaultToken = await call('tokens.reset', gate.tokens.reset({ userId: user.id, parentTokenId: parent.id }))
    const client = await call('tokens.activateAccessClient', gate.tokens.activateAccessClient({ userId: user.id, name: 'build server' }))
    storedHashes.push(...[parent, child, defaultToken, client].map((token) => sha256Hex(token.token)))
    expect(child.scopes).toEqual(['read'])
    expect(defaultToken).toMatchObject({ name: 'default', scopes: ['read', 'tokens:write'] })
    expect(await call('tokens.validate', gate.tokens.validate({ secret: parent.token }))).toMatchObject({ userId: user.id, token: { id: parent.id, hint: parent.hint } })
    expect(await gate.tokens.validate({ secret: client.token, kind: 'access_client' })).toMatchObject({ token: { id: client.id } })
    expect((await call('tokens.list', gate.tokens.list({ userId: user.id }))).map((token) => token.id)).toEqual([parent.id, child.id, defaultToken.id])
    expect(await call('tokens.get', gate.tokens.get({ userId: user.id, tokenId: child.id }))).toMatchObject({ id: child.id, name: 'API token' })
    expect(await call('tokens.revoke', gate.tokens.revoke({ userId: user.id, tokenId: child.id }))).toBe(true)
    expect(await call('tokens.revokeAll', gate.tokens.revokeAll({ userId: user.id, kind: 'access_client' }))).toBe(1)
    expect(await call('tokens.revokeOnPasswordChange', gate.tokens.revokeOnPasswordChange({ userId: user.id }))).toBe(2)

    await call('passwords.change', gate.passwords.change({ userId: user.id, currentPassword: password, newPassword: changed, keepSessionId: issued.session.id }))
    await expect(gate.passwords.change({ userId: 'nobody', newPassword: changed })).rejects.toMatchObject({ status: 404 })
    await call('passwords.set', gate.passwords.set({ userId: user.id, newPassword: reset }))
    await gate.passwords.verifyLogin({ email, password: reset })

    const sent = await call('magicLinks.send', gate.magicLinks.send({ email }))
    expect(sent?.sentTo).toBe('a***@example.com')
    const linkToken = linkIn(mailer.last(email)!.text).searchParams.get('token')!
    const consumed = await call('magicLinks.consume', gate.magicLinks.consume({ token: linkToken, presentedSessionId: issued.session.id }))
    expect(consumed.user).toMatchObject({ id: user.id, emailVerified: true })

    expect(await call('otp.send', gate.otp.send({ userId: user.id, medium: 'email', purpose: 'delete_account' }))).toMatchObject({ sentTo: ['a***@example.com'] })
    const code = codeIn(mailer.last(email)!.text)
    expect(await call('otp.verify', gate.otp.verify({ userId: user.id, code, purpose: 'delete_account' }))).toBe(true)

    const enrolment = await call('totp.enable', gate.totp.enable({ userId: user.id }))
    const recoveryCodes = await call('totp.confirm', gate.totp.confirm({ userId: user.id, code: referenceTotpAt(enrolment.secret, clock.now()) }))
    expect(recoveryCodes).toHaveLength(10)
    clock.advance(30_000)
    expect(await call('totp.verify', gate.totp.verify({ userId: user.id, code: referenceTotpAt(enrolment.secret, clock.now()) }))).toBe(true)
    expect(await call('secondFactor.list', gate.secondFactor.list({ userId: user.id }))).toEqual(['totp', 'recovery_code'])
    expect(await call('secondFactor.verify', gate.secondFactor.verify({ userId: user.id, method: 'recovery_code', code: recoveryCodes[0]! }))).toBe(true)
    await expect(gate.secondFactor.complete({ userId: 'someone else', sessionId: issued.session.id, method: 'recovery_code' })).rejects.toMatchObject({ code: 'INVALID_TOKEN' })
    const stepped = await call('secondFactor.complete', gate.secondFactor.complete({ userId: user.id, sessionId: issued.session.id, method: 'recovery_code', userAgent: 'host' }))
    storedHashes.push(sha256Hex(stepped.token))
    expect(stepped.session.id).not.toBe(issued.session.id)
    expect((await gate.sessions.validate({ token: stepped.token })).factors.map((factor) => factor.method)).toEqual(['password', 'recovery_code'])
    await expect(gate.sessions.validate({ token: issued.token })).rejects.toMatchObject({ code: 'INVALID_TOKEN' })
    expect(await call('secondFactor.regenerateRecoveryCodes', gate.secondFactor.regenerateRecoveryCodes({ userId: user.id }))).toHaveLength(10)
    await call('secondFactor.setSecondaryPassword', gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'secondary pass phrase' }))
    expect(await call('secondFactor.removeSecondaryPassword', gate.secondFactor.removeSecondaryPassword({ userId: user.id }))).toBe(true)
    expect(await call('totp.disable', gate.totp.disable({ userId: user.id }))).toBe(true)

    const other = await gate.sessions.issue({ userId: user.id, factors: [] })
    expect(await call('sessions.revoke', gate.sessions.revoke({ userId: user.id, sessionId: other.session.id }))).toBe(true)
    expect(await call('sessions.revokeAll', gate.sessions.revokeAll({ userId: user.id, exceptSessionId: stepped.session.id }))).toBe(0)

    expect(await call('passwordReset.request', gate.passwordReset.request({ email }))).toBe(true)
    const key = linkIn(mailer.last(email)!.text).searchParams.get('key')!
    expect(await call('passwordReset.info', gate.passwordReset.info({ key }))).toMatchObject({ email: 'a***@example.com' })
    await call('passwordReset.complete', gate.passwordReset.complete({ key, newPassword: changed, presentedSessionId: stepped.session.id }))
    expect(await gate.sessions.list({ userId: user.id })).toEqual([])
    storedHashes.push((await gate.storage.users.getById(user.id))!.passwordHash!)

    await call('users.unregister', gate.users.unregister({ userId: user.id }))
    expect(await gate.storage.users.getById(user.id)).toBeNull()

    const exposed = featureNamespaces.flatMap((namespace) => Object.keys(gate[namespace]).map((name) => `${namespace}.${name}`))
    expect([...results.keys()].sort()).toEqual(exposed.sort())
    for (const [name, result] of results) {
      const serialized = JSON.stringify(result) ?? 'undefined'
      expect(serialized, name).not.toMatch(internalFields)
      for (const hash of storedHashes) expect(serialized, name).not.toContain(hash)
    }
  })
})

/** Every string reachable from a value: own properties, arrays, Sets and Maps (what JSON.stringify leaves out included). */
function stringsIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object' || seen.has(value)) return []
  seen.add(value)
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value)
  return children.flatMap((child) => stringsIn(child, seen))
}

describe('gate.config', () => {
  it('holds no secret: no key named so, and no value equal to it', () => {
    const { gate } = createGate()
    expect(Object.keys(gate.config)).not.toContain('secret')
    expect('secret' in gate.config).toBe(false)
    expect(JSON.stringify(gate.config)).not.toContain(secret)
    expect(Object.values(gate.config)).not.toContain(secret)
    expect(stringsIn(gate.config).filter((text) => text.includes(secret))).toEqual([])
  })
})

describe('gate.sessions.issue', () => {
  it('checks its input before storing anything: a TypeError naming the field, 404 for a user id of nobody', async () => {
    const { gate } = createGate()
    const user = await gate.users.signUp({ email: 'ada@example.com', password: 'first pass phrase' })
    // What a JavaScript caller can pass despite the types.
    const issue = gate.sessions.issue as (input: unknown) => Promise<unknown>
    await expect(issue({ userId: user.id })).rejects.toThrow(new TypeError(`gate.sessions.issue: factors must be an array such as [{ method: 'password', at: Date.now() }]`))
    await expect(issue(null)).rejects.toThrow(TypeError)
    await expect(issue({ userId: 42, factors: [] })).rejects.toThrow(/userId must be a non-empty string/)
    await expect(issue({ userId: user.id, factors: [{ method: 'password' }] })).rejects.toThrow(/each factor must be/)
    await expect(issue({ userId: user.id, factors: [], pendingSecondFactor: 'yes' })).rejects.toThrow(/pendingSecondFactor must be a boolean/)
    await expect(issue({ userId: user.id, factors: [], lifetimeSeconds: -1 })).rejects.toThrow(/lifetimeSeconds must be a positive number/)
    await expect(issue({ userId: user.id, factors: [], userAgent: 7 })).rejects.toThrow(/userAgent must be a string or null/)
    await expect(gate.sessions.issue({ userId: 'usr_nobody', factors: [] })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 })
    expect(await gate.sessions.list({ userId: user.id })).toEqual([])
    const issued = await gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: Date.now() }], ip: null })
    expect((await gate.sessions.validate({ token: issued.token })).userId).toBe(user.id)
  })
})
