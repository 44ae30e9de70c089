import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteKeysWithPrefix } from '../support/delete-redis-keys.js'
import { openPostgresPool, openRedisClient } from '../support/server-connection.js'

const pool = await openPostgresPool()
const redis = await openRedisClient()
const suffix = randomBytes(6).toString('hex')
const schema = `gh_demo_${suffix}`
const keyPrefix = `gh-demo-${suffix}:`

/** Starts `npm run demo:postgres` as the README gives it, and answers its URL once it listens. */
async function startDemo(): Promise<{ url: string; child: ChildProcess; description: string }> {
  const child = spawn('npm', ['run', '--silent', 'demo:postgres'], {
    env: { ...process.env, PORT: '0', DATABASE_SCHEMA: schema, REDIS_KEY_PREFIX: keyPrefix },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  let description = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start within 30 s:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /on (http:\/\/localhost:\d+) \(storage: (.*)\)(?:: open it in a browser)?$/m.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        description = match[2]!
        resolve(match[1]!.replace('localhost', '127.0.0.1'))
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)))
  })
  return { url, child, description }
}

describe.runIf(pool !== null && redis !== null)('npm run demo:postgres', () => {
  let demo: Awaited<ReturnType<typeof startDemo>> | undefined

  afterAll(async () => {
    if (demo?.child.pid !== undefined && demo.child.exitCode === null) {
      const exited = once(demo.child, 'exit')
      process.kill(-demo.child.pid, 'SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
    }
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    if (redis !== null) await deleteKeysWithPrefix(redis, keyPrefix)
    await pool?.end()
    redis?.disconnect()
  })

  it('serves the demo with users in PostgreSQL and sessions in Redis', async () => {
    demo = await startDemo()
    expect(demo.description).toBe(`PostgreSQL (schema ${schema}) + Redis (sessions, limits, one-time secrets)`)
    const signup = await request(demo.url).post('/auth/signup').send({ email: 'demo@example.com', password: 'correct horse battery' })
    expect(signup.status).toBe(201)
    const cookie = String(signup.headers['set-cookie']).split(';', 1)[0]!
    expect((await request(demo.url).get('/api/projects').set('Cookie', cookie)).status).toBe(200)
    const users = await pool!.query(`SELECT email FROM "${schema}".gatehouse_users`)
    expect(users.rows).toEqual([{ email: 'demo@example.com' }])
    const sessions = await pool!.query(`SELECT count(*)::int AS n FROM "${schema}".gatehouse_sessions`)
    expect(sessions.rows[0].n).toBe(0)
    expect((await redis!.keys(`${keyPrefix}{${keyPrefix}}session:*`)).length).toBe(1)
  }, 60_000)
})
