import { randomBytes } from 'node:crypto'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import { memoryStorage, type Storage } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'
import { createSecondFactorApp } from '../support/second-factor-apps.js'
import { openPostgresPool } from '../support/server-connection.js'

const password = 'correct horse battery'
const oldSecret = 'the secret in use before the rotation, 32+'
const newSecret = 'the secret that replaces it, 32 chars or more'
const step = 30_000

const pool = await openPostgresPool()
const schema = `gatehouse_rotation_${randomBytes(6).toString('hex')}`
if (pool !== null) await migrate(pool, { schema })
afterAll(async () => {
  if (pool === null) return
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await pool.end()
})

const backends: [string, () => Storage][] = [['memory', () => memoryStorage()]]
if (pool !== null) backends.push(['postgres', () => ({ ...memoryStorage(), ...postgresStorage(pool, { schema }) })])

describe.each(frameworks)('%s: rotating `secret` on a running store', (framework) => {
  describe.each(backends)('%s', (_name, makeStorage) => {
    it('keeps every enrolled TOTP working, re-seals each on use, and a dropped secret ends in FACTOR_UNREADABLE', async () => {
      const storage = makeStorage()
      const clock = createFixedClock()
      const before = createSecondFactorApp(framework, { secret: oldSecret, storage, clock })
      const users = await Promise.all(
        ['first', 'second'].map(async (name) => {
          const email = `${name}-${randomBytes(4).toString('hex')}@example.com`
          const user = await before.gate.users.signUp({ email, password })
          const { secret } = await before.gate.totp.enable({ userId: user.id })
          await before.gate.totp.confirm({ userId: user.id, code: referenceTotpAt(secret, clock.now()) })
          return { email, id: user.id, secret, sealed: (await storage.factors.listByUser(user.id, 'totp'))[0]!.secret }
        }),
      )
      clock.advance(step)

      const rotated = createSecondFactorApp(framework, { secret: [newSecret, oldSecret], storage, clock })
      async function signIn(app: typeof rotated, user: (typeof users)[number]) {
        const login = await request(app.handler).post('/auth/session').send({ email: user.email, password })
        const pending = sessionCookieOf(login.headers['set-cookie'])
        return request(app.handler).post('/auth/session/second-factor').set('Cookie', pending).send({ method: 'totp', code: referenceTotpAt(user.secret, clock.now()) })
      }
      const [first, second] = users as [(typeof users)[number], (typeof users)[number]]
      expect((await signIn(rotated, first)).status).toBe(200)
      // Used once under the rotated secrets: sealed again with the current one.
      const resealed = (await storage.factors.listByUser(first.id, 'totp'))[0]!.secret
      expect(resealed).not.toBe(first.sealed)
      expect((await storage.factors.listByUser(second.id, 'totp'))[0]!.secret).toBe(second.sealed)

      clock.advance(step)
      const retired = createSecondFactorApp(framework, { secret: newSecret, storage, clock })
      expect((await signIn(retired, first)).status).toBe(200)
      const unreadable = await signIn(retired, second)
      expect(unreadable.status).toBe(401)
      expect(unreadable.body.error.code).toBe('FACTOR_UNREADABLE')
      expect(JSON.stringify(unreadable.body)).not.toMatch(/secret-box|decipher|auth tag/i)
    })
  })
})

describe('secret as a list', () => {
  it('refuses an empty list, a short entry and more than 8, naming the option', () => {
    for (const secret of [[], ['short'], Array.from({ length: 9 }, (_, i) => `secret number ${i} of at least 32 chars!!`)]) {
      expect(() => createSecondFactorApp('express', { secret })).toThrow(/secret/)
    }
  })

  it('never shows a secret in gate.config', () => {
    const app = createSecondFactorApp('express', { secret: [newSecret, oldSecret] })
    const shown = JSON.stringify(app.gate.config)
    expect(shown).not.toContain(newSecret)
    expect(shown).not.toContain(oldSecret)
  })
})
