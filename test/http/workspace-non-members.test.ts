import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, type GatehouseOptions } from '../../src/index.js'
import { type Framework, createTestApp, frameworks } from '../support/example-apps.js'

const password = 'long enough password'

async function setUp(framework: Framework, overrides: Partial<GatehouseOptions>) {
  const app = createTestApp(framework, overrides)
  const owner = await app.gate.users.signUp({ email: 'owner@example.com', password })
  await app.gate.users.signUp({ email: 'stranger@example.com', password })
  const workspace = await app.gate.workspaces.create({ name: 'W', ownerId: owner.id })
  const login = await request(app.handler).post('/auth/session?cookie=false').send({ email: 'stranger@example.com', password })
  return { ...app, workspace, stranger: { authorization: `Bearer ${login.body.token}` } }
}

describe.each(frameworks)('%s: workspaces.nonMemberAnswer', (framework) => {
  it("'forbidden': a non-member of an existing workspace gets 403, an unknown workspace still 404", async () => {
    const app = await setUp(framework, { workspaces: { nonMemberAnswer: 'forbidden' } })
    for (const path of [`/auth/workspaces/${app.workspace.id}`, `/auth/workspaces/${app.workspace.id}/members`, `/auth/workspaces/${app.workspace.id}/sso`]) {
      const res = await request(app.handler).get(path).set(app.stranger)
      expect(res.status, path).toBe(403)
      expect(res.body.error.code).toBe('FORBIDDEN')
    }
    expect((await request(app.handler).get('/auth/workspaces/unknown-workspace').set(app.stranger)).status).toBe(404)
    expect((await request(app.handler).get(`/auth/workspaces/${'x'.repeat(300)}`).set(app.stranger)).status).toBe(404)
  })

  it("'not_found' is the default: a non-member learns nothing", async () => {
    const app = await setUp(framework, {})
    expect((await request(app.handler).get(`/auth/workspaces/${app.workspace.id}`).set(app.stranger)).status).toBe(404)
    expect(() => createTestApp(framework, { workspaces: { nonMemberAnswer: 'maybe' as 'forbidden' } })).toThrow(ConfigError)
  })
})
