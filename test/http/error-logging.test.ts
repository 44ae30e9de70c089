import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import type { UserStore } from '../../src/storage/ports.js'
import { createDeliveryTestApp } from '../support/delivery-apps.js'
import { frameworks } from '../support/example-apps.js'

const email = 'jane@example.com'
const leakedToken = `ghs_${'Zq9x'.repeat(10)}abc`

/** A users store whose e-mail lookup fails the way a driver does: with a parameter in the message. */
function failingUsers(): UserStore {
  const users = memoryStorage().users
  return {
    ...users,
    async getByEmail() {
      throw Object.assign(new Error(`duplicate key value ${leakedToken} violates unique constraint for ${email}`), {
        name: 'DatabaseError',
        code: '23505',
      })
    },
  }
}

describe.each(frameworks)('%s: the logger gets no secret from a failing store', (framework) => {
  function appLogging(logged: string[]) {
    return createDeliveryTestApp(framework, {
      storage: { ...memoryStorage(), users: failingUsers() },
      logger: { error: (message, meta) => logged.push(message + JSON.stringify(meta ?? {})) },
    })
  }

  function expectRedacted(logged: string[]): void {
    expect(logged.length).toBeGreaterThan(0)
    const text = logged.join('\n')
    expect(text).toContain('DatabaseError')
    expect(text).toContain('23505')
    expect(text).not.toContain(leakedToken)
    expect(text).not.toContain('ghs_')
    expect(text).not.toContain(email)
  }

  it('on a route: 500 without detail, and the log line is redacted', async () => {
    const logged: string[] = []
    const app = appLogging(logged)
    const res = await request(app.handler).post('/auth/session').send({ email, password: 'correct horse battery' })
    expect(res.status).toBe(500)
    expect(res.body.error).toEqual({ code: 'INTERNAL_ERROR', message: 'Something went wrong.' })
    expectRedacted(logged)
  })

  it('on a guarded host route (Basic)', async () => {
    const logged: string[] = []
    const app = appLogging(logged)
    const res = await request(app.handler).get('/api/projects').auth(email, 'correct horse battery')
    expect(res.status).toBe(500)
    expectRedacted(logged)
  })

  it('in work done after the answer', async () => {
    const logged: string[] = []
    const app = appLogging(logged)
    expect((await request(app.handler).post('/auth/password-reset').send({ email })).status).toBe(202)
    await app.gate.delivery.drain()
    expectRedacted(logged)
  })
})
