import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../adapters/postgres/index.js'
import { deleteKeysWithPrefix } from '../support/delete-redis-keys.js'
import { openPostgresPool, openRedisClient } from '../support/server-connection.js'
import { type AppProcess, spawnAppProcess } from '../support/spawn-app-process.js'

// Two app processes with sessionCache behind one store: a revocation on one is refused by the
// other within a bounded time (the broadcast), and a cache whose broadcast is lost stops serving.
// The visibility is printed; the assertion is loose on purpose (a shared machine), the bench
// reports the figure.

const pool = await openPostgresPool()
const redis = pool === null ? null : await openRedisClient()

const baseUrl = 'http://app.test'
const password = 'correct horse battery staple'
const json = { 'content-type': 'application/json', origin: baseUrl }
/** How long a revoked session may still be accepted on the other process before the test fails. */
const VISIBILITY_BOUND_MS = 1000

function readSessionCookie(response: Response): string {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith('gatehouse_session=ghs_'))
  if (line === undefined) throw new Error(`no session cookie, status ${response.status}`)
  return line.split(';', 1)[0] ?? ''
}

/** Milliseconds until `url` refuses the cookie, polling for at most `boundMs`; Infinity when it never does. */
async function millisecondsUntilRefused(url: string, cookie: string, boundMs: number): Promise<number> {
  const start = performance.now()
  for (let attempt = 0; attempt < 10_000 && performance.now() - start < boundMs; attempt++) {
    const res = await fetch(`${url}/api/projects`, { headers: { cookie } })
    if (res.status === 401) return performance.now() - start
  }
  return Number.POSITIVE_INFINITY
}

if (pool !== null && redis !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
  const keyPrefix = `gatehouse-test:${randomBytes(6).toString('hex')}:`
  const apps: Record<'redis' | 'postgres', AppProcess[]> = { redis: [], postgres: [] }
  let listenChannel = ''

  beforeAll(async () => {
    await migrate(pool, { schema })
    const env = (cache: string) => ({
      GATEHOUSE_TEST_SCHEMA: schema,
      GATEHOUSE_TEST_KEY_PREFIX: keyPrefix,
      GATEHOUSE_TEST_BASE_URL: baseUrl,
      GATEHOUSE_TEST_SESSION_CACHE: cache,
      GATEHOUSE_TEST_CACHE_CHANNEL: `gatehouse_test_${cache}_${randomBytes(6).toString('hex')}`,
    })
    // Two at a time: four node processes starting at once outlast the start timeout on a busy machine.
    for (const kind of ['redis', 'postgres'] as const) {
      const kindEnv = env(kind)
      if (kind === 'postgres') listenChannel = kindEnv.GATEHOUSE_TEST_CACHE_CHANNEL
      apps[kind] = await Promise.all([spawnAppProcess(kindEnv), spawnAppProcess(kindEnv)])
    }
  }, 120_000)

  afterAll(async () => {
    await Promise.all([...apps.redis, ...apps.postgres].map((app) => app.stop()))
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
    await deleteKeysWithPrefix(redis, keyPrefix)
    redis.disconnect()
  })

  function urlsOf(kind: 'redis' | 'postgres'): [string, string] {
    const [a, b] = apps[kind]
    if (a === undefined || b === undefined) throw new Error('app processes did not start')
    return [a.url, b.url]
  }

  /** Signs up on `a` and has `b` accept (and cache) the session. */
  async function sessionCachedOn(a: string, b: string): Promise<string> {
    const email = `${randomBytes(6).toString('hex')}@example.test`
    const signUp = await fetch(`${a}/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })
    expect(signUp.status).toBe(201)
    const cookie = readSessionCookie(signUp)
    for (let i = 0; i < 2; i++) expect((await fetch(`${b}/api/projects`, { headers: { cookie } })).status).toBe(200)
    return cookie
  }

  describe.each(['redis', 'postgres'] as const)('two processes with sessionCache, %s broadcast', (kind) => {
    it('a logout on one is refused on the other within the bound', async () => {
      const [a, b] = urlsOf(kind)
      const cookie = await sessionCachedOn(a, b)
      const logout = await fetch(`${a}/auth/session`, { method: 'DELETE', headers: { cookie, origin: baseUrl } })
      expect(logout.status).toBe(204)
      const visibleAfterMs = await millisecondsUntilRefused(b, cookie, VISIBILITY_BOUND_MS)
      console.log(`sessionCache (${kind} broadcast): revocation refused on the other process after ${visibleAfterMs.toFixed(1)} ms`)
      expect(visibleAfterMs).toBeLessThan(VISIBILITY_BOUND_MS)
    })

    it('a password change on one ends the other sessions on the other', async () => {
      const [a, b] = urlsOf(kind)
      const cookie = await sessionCachedOn(a, b)
      const me = (await (await fetch(`${a}/auth/session`, { headers: { cookie } })).json()) as { user: { email: string } }
      const second = await fetch(`${b}/auth/session`, { method: 'POST', headers: json, body: JSON.stringify({ email: me.user.email, password }) })
      const other = readSessionCookie(second)
      expect((await fetch(`${b}/api/projects`, { headers: { cookie: other } })).status).toBe(200)
      const change = await fetch(`${a}/auth/password`, {
        method: 'POST',
        headers: { ...json, cookie },
        body: JSON.stringify({ currentPassword: password, newPassword: 'another horse battery staple' }),
      })
      expect(change.status).toBe(204)
      expect(await millisecondsUntilRefused(b, other, VISIBILITY_BOUND_MS)).toBeLessThan(VISIBILITY_BOUND_MS)
    })
  })

  describe('a cache whose broadcast is lost', () => {
    it('serves a session deleted behind its back while listening, and stops serving once its LISTEN connection is gone', async () => {
      const [a, b] = urlsOf('postgres')
      const cookie = await sessionCachedOn(a, b)
      const me = (await (await fetch(`${b}/auth/session`, { headers: { cookie } })).json()) as { session: { id: string } }
      // Deleted in the database directly: no broadcast, so the caches do not know.
      await pool.query(`DELETE FROM "${schema}".gatehouse_sessions WHERE id = $1`, [me.session.id])
      expect((await fetch(`${b}/api/projects`, { headers: { cookie } })).status).toBe(200)
      const { rowCount } = await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE $1`,
        [`LISTEN "${listenChannel}"`],
      )
      expect(rowCount).toBeGreaterThanOrEqual(1)
      expect(await millisecondsUntilRefused(b, cookie, 5000)).toBeLessThan(5000)
    })
  })
}
