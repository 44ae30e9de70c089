import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, memoryStorage, type RecordKind } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

/** Integer ids per kind, as an API with numeric ids (Toggl's workspaces, Semaphore's users) needs. */
function countingIds() {
  const next: Record<RecordKind, number> = { user: 0, token: 0, workspace: 0 }
  const asked: RecordKind[] = []
  return {
    asked,
    generateId: async (kind: RecordKind) => {
      asked.push(kind)
      next[kind] += 1
      return String(next[kind])
    },
  }
}

describe.each(frameworks)('%s: generateId numbers users, tokens and workspaces', (framework) => {
  it('gives sign-up, token and workspace records the host ids, and only those', async () => {
    const ids = countingIds()
    const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, generateId: ids.generateId })
    const host = mountHost(framework, gate)
    const signup = await request(host).post('/auth/signup').send({ email: 'n@example.com', password: 'long enough pw' })
    expect(signup.status).toBe(201)
    expect(signup.body.user.id).toBe('1')
    const second = await gate.users.signUp({ email: 'm@example.com', password: 'long enough pw' })
    expect(second.id).toBe('2')
    const cookie = String(signup.headers['set-cookie']).split(';', 1)[0]!
    const token = await request(host).post('/auth/tokens').set('cookie', cookie).set('origin', 'http://app.test').send({ name: 'ci' })
    expect(token.status).toBe(201)
    expect(token.body.id).toBe('1')
    const workspace = await gate.workspaces.create({ name: 'Acme', ownerId: '1' })
    expect(workspace.id).toBe('1')
    // Sessions, factors and the rest keep their random ids: only the three kinds are asked for.
    expect(new Set(ids.asked)).toEqual(new Set(['user', 'token', 'workspace']))
  })

  it('refuses an id that cannot travel in a path, loudly, and stores nothing', async () => {
    const storage = memoryStorage()
    const gate = createGatehouse({ baseUrl: 'http://app.test', storage, clock: createFixedClock(), passwords: fastHashing, generateId: () => 'a/b', logger: { error: () => {} } })
    await expect(gate.users.signUp({ email: 'bad@example.com', password: 'long enough pw' })).rejects.toThrow(ConfigError)
    await expect(gate.users.signUp({ email: 'bad@example.com', password: 'long enough pw' })).rejects.toThrow(/generateId\('user'\) answered "a\/b"/)
    expect(await storage.users.getByEmail('bad@example.com')).toBeNull()
    const host = mountHost(framework, gate)
    expect((await request(host).post('/auth/signup').send({ email: 'bad@example.com', password: 'long enough pw' })).status).toBe(500)
  })

  it('refuses a generateId that is not a function at createGatehouse', () => {
    expect(() => createGatehouse({ baseUrl: 'http://app.test', generateId: 'counter' as never })).toThrow(ConfigError)
  })
})
