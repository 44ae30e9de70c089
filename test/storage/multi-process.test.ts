import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../adapters/postgres/index.js'
import { deleteKeysWithPrefix } from '../support/delete-redis-keys.js'
import { openPostgresPool, openRedisClient } from '../support/server-connection.js'
import { type AppProcess, spawnAppProcess } from '../support/spawn-app-process.js'

// Two app processes share one PostgreSQL (users) and one Redis (sessions, rate limits), as two
// instances behind a load balancer would.
const pool = await openPostgresPool()
const redis = pool === null ? null : await openRedisClient()

const baseUrl = 'http://app.test'
const password = 'correct horse battery staple'
const json = { 'content-type': 'application/json', origin: baseUrl }

function readSessionCookie(response: Response): string {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith('gatehouse_session=ghs_'))
  if (line === undefined) throw new Error(`no session cookie, status ${response.status}`)
  return line.split(';', 1)[0] ?? ''
}

if (pool !== null && redis !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
  const keyPrefix = `gatehouse-test:${randomBytes(6).toString('hex')}:`
  let first: AppProcess | undefined
  let second: AppProcess | undefined

  beforeAll(async () => {
    await migrate(pool, { schema })
    const env = { GATEHOUSE_TEST_SCHEMA: schema, GATEHOUSE_TEST_KEY_PREFIX: keyPrefix, GATEHOUSE_TEST_BASE_URL: baseUrl }
    ;[first, second] = await Promise.all([spawnAppProcess(env), spawnAppProcess(env)])
  }, 60_000)

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()])
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
    await deleteKeysWithPrefix(redis, keyPrefix)
    redis.disconnect()
  })

  function requireAppUrls(): [string, string] {
    if (first === undefined || second === undefined) throw new Error('app processes did not start')
    return [first.url, second.url]
  }

  describe('two app processes over shared PostgreSQL and Redis', () => {
    it('honours a session issued by the other process, and refuses it there at once after logout', async () => {
      const [a, b] = requireAppUrls()
      const email = `${randomBytes(6).toString('hex')}@example.test`
      const signUp = await fetch(`${a}/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })
      expect(signUp.status).toBe(201)
      const cookie = readSessionCookie(signUp)

      const onB = await fetch(`${b}/api/projects`, { headers: { cookie } })
      expect(onB.status).toBe(200)
      expect(((await onB.json()) as { owner: string }).owner).toBe(email)
      const listed = await fetch(`${b}/auth/sessions`, { headers: { cookie } })
      const sessions = (await listed.json()) as { current: boolean }[]
      expect(sessions.map((session) => session.current)).toEqual([true])

      const logout = await fetch(`${a}/auth/session`, { method: 'DELETE', headers: { cookie, origin: baseUrl } })
      expect(logout.status).toBe(204)
      const afterLogout = await fetch(`${b}/api/projects`, { headers: { cookie } })
      expect(afterLogout.status).toBe(401)
    })

    it('logs in on one process with a user created on the other, for a bearer token both accept', async () => {
      const [a, b] = requireAppUrls()
      const email = `${randomBytes(6).toString('hex')}@example.test`
      expect((await fetch(`${a}/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })).status).toBe(201)
      const login = await fetch(`${b}/auth/session?cookie=false`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })
      expect(login.status).toBe(200)
      const { token } = (await login.json()) as { token: string }
      for (const url of [a, b]) {
        expect((await fetch(`${url}/api/projects`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
      }
    })

    it('counts login failures across both processes against one limit', async () => {
      const [a, b] = requireAppUrls()
      const email = `${randomBytes(6).toString('hex')}@example.test`
      expect((await fetch(`${a}/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })).status).toBe(201)
      const wrong = JSON.stringify({ email, password: 'not the password at all' })
      // The default per-account limit is 5 attempts per 15 minutes.
      for (const url of [a, b, a, b, a]) {
        expect((await fetch(`${url}/auth/session`, { method: 'POST', headers: json, body: wrong })).status).toBe(401)
      }
      const limited = await fetch(`${b}/auth/session`, { method: 'POST', headers: json, body: wrong })
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    })
  })
}
