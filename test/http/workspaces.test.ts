import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, type GatehouseOptions } from '../../src/index.js'
import { type Framework, createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const password = 'correct horse battery'
const roles = { billing: ['invoice:read', 'invoice:approve'], viewer: ['invoice:read'] }

function workspaceHost(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const app = createTestApp(framework, { workspaces: { roles }, rateLimits: { signupPerIp: { max: 1000, windowSeconds: 60 } }, ...overrides })
  const handler = mountHost(framework, app.gate, {
    guarded: {
      '/api/w/:workspaceId/admin': { workspaceRole: 'admin' },
      '/api/w/:workspaceId/member': { workspaceRole: 'member' },
      '/api/w/:workspaceId/approve': { workspacePermission: 'invoice:approve' },
    },
  })
  async function signUp(email: string) {
    const res = await request(handler).post('/auth/signup').send({ email, password })
    expect(res.status).toBe(201)
    return { cookie: sessionCookieOf(res.headers['set-cookie']), id: res.body.user.id as string }
  }
  async function createWorkspace(cookie: string, name = 'Acme') {
    const res = await request(handler).post('/auth/workspaces').set('Cookie', cookie).send({ name })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.id as string
  }
  /** A workspace owned by `owner` with `user` added as `role`. */
  async function withMember(ownerCookie: string, userId: string, role: string) {
    const workspaceId = await createWorkspace(ownerCookie)
    await app.gate.workspaces.addMember({ workspaceId, userId, role })
    return workspaceId
  }
  return { ...app, handler, signUp, createWorkspace, withMember }
}

describe.each(frameworks)('%s: workspaces', (framework) => {
  it('creates, lists and reads a workspace; the creator is its owner', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const created = await request(host.handler).post('/auth/workspaces').set('Cookie', owner.cookie).send({ name: ' Acme ' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.any(String), name: 'Acme', role: 'owner', createdAt: new Date(host.clock.now()).toISOString() })
    const list = await request(host.handler).get('/auth/workspaces').set('Cookie', owner.cookie)
    expect(list.status).toBe(200)
    expect(list.body).toEqual([{ id: created.body.id, name: 'Acme', role: 'owner' }])
    const one = await request(host.handler).get(`/auth/workspaces/${created.body.id}`).set('Cookie', owner.cookie)
    expect(one.status).toBe(200)
    expect(one.body).toEqual(created.body)
    const members = await request(host.handler).get(`/auth/workspaces/${created.body.id}/members`).set('Cookie', owner.cookie)
    expect(members.body).toEqual([{ userId: owner.id, email: 'owner@example.com', name: null, role: 'owner', joinedAt: created.body.createdAt }])
  })

  it('answers 401 without credentials and 400 for a bad name', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    expect((await request(host.handler).post('/auth/workspaces').send({ name: 'x' })).status).toBe(401)
    expect((await request(host.handler).get('/auth/workspaces')).status).toBe(401)
    const bad = await request(host.handler).post('/auth/workspaces').set('Cookie', owner.cookie).send({ name: '' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('INVALID_REQUEST')
  })

  it("answers 404 to a non-member for the workspace, its members and its member routes", async () => {
    const host = workspaceHost(framework)
    const a = await host.signUp('a@example.com')
    const b = await host.signUp('b@example.com')
    await host.createWorkspace(a.cookie, 'A')
    const workspaceB = await host.createWorkspace(b.cookie, 'B')
    for (const [method, path] of [
      ['get', `/auth/workspaces/${workspaceB}`],
      ['get', `/auth/workspaces/${workspaceB}/members`],
      ['patch', `/auth/workspaces/${workspaceB}/members/${b.id}`],
      ['delete', `/auth/workspaces/${workspaceB}/members/${b.id}`],
      ['get', `/api/w/${workspaceB}/member`],
      ['get', '/auth/workspaces/no-such-workspace'],
    ] as const) {
      const res = await request(host.handler)[method](path).set('Cookie', a.cookie).send({ role: 'member' })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body.error.code).toBe('NOT_FOUND')
    }
    expect((await request(host.handler).get('/auth/workspaces').set('Cookie', a.cookie)).body).toHaveLength(1)
  })

  it('lets an admin change roles up to their own, and never above', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const admin = await host.signUp('admin@example.com')
    const member = await host.signUp('member@example.com')
    const workspaceId = await host.withMember(owner.cookie, admin.id, 'admin')
    await host.gate.workspaces.addMember({ workspaceId, userId: member.id, role: 'member' })
    const patch = (cookie: string, userId: string, role: string) =>
      request(host.handler).patch(`/auth/workspaces/${workspaceId}/members/${userId}`).set('Cookie', cookie).send({ role })

    const billing = await patch(admin.cookie, member.id, 'billing')
    expect(billing.status).toBe(200)
    expect(billing.body).toEqual({ userId: member.id, email: 'member@example.com', name: null, role: 'billing', joinedAt: expect.any(String) })
    expect((await patch(admin.cookie, member.id, 'admin')).status).toBe(200)
    for (const [cookie, userId, role] of [
      [admin.cookie, member.id, 'owner'],
      [admin.cookie, admin.id, 'owner'],
      [admin.cookie, owner.id, 'member'],
    ] as const) {
      const refused = await patch(cookie, userId, role)
      expect(refused.status, `${role} for ${userId}`).toBe(403)
      expect(refused.body.error.code).toBe('ROLE_NOT_GRANTABLE')
    }
    await patch(owner.cookie, member.id, 'member')
    const byMember = await patch(member.cookie, member.id, 'admin')
    expect(byMember.status).toBe(403)
    expect(byMember.body.error.code).toBe('WORKSPACE_ROLE_MISSING')
    const unknown = await patch(owner.cookie, member.id, 'superuser')
    expect(unknown.status).toBe(400)
    const missing = await patch(owner.cookie, 'nobody', 'member')
    expect(missing.status).toBe(404)
    const members = await host.gate.workspaces.listMembers({ workspaceId })
    expect(members.map((each) => [each.email, each.role])).toEqual([
      ['owner@example.com', 'owner'],
      ['admin@example.com', 'admin'],
      ['member@example.com', 'member'],
    ])
  })

  it('keeps the last owner: no demotion, no leaving; a second owner frees the first', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const other = await host.signUp('other@example.com')
    const workspaceId = await host.withMember(owner.cookie, other.id, 'member')
    const demote = await request(host.handler).patch(`/auth/workspaces/${workspaceId}/members/${owner.id}`).set('Cookie', owner.cookie).send({ role: 'admin' })
    expect(demote.status).toBe(409)
    expect(demote.body.error.code).toBe('LAST_OWNER')
    const leave = await request(host.handler).delete(`/auth/workspaces/${workspaceId}/members/${owner.id}`).set('Cookie', owner.cookie)
    expect(leave.status).toBe(409)
    expect(leave.body.error.code).toBe('LAST_OWNER')
    expect((await request(host.handler).patch(`/auth/workspaces/${workspaceId}/members/${other.id}`).set('Cookie', owner.cookie).send({ role: 'owner' })).status).toBe(200)
    expect((await request(host.handler).delete(`/auth/workspaces/${workspaceId}/members/${owner.id}`).set('Cookie', owner.cookie)).status).toBe(204)
    expect(await host.gate.workspaces.get({ workspaceId, userId: owner.id })).toBeNull()
  })

  it('lets a member leave, an admin remove a member, and nobody remove someone above them', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const admin = await host.signUp('admin@example.com')
    const member = await host.signUp('member@example.com')
    const workspaceId = await host.withMember(owner.cookie, admin.id, 'admin')
    await host.gate.workspaces.addMember({ workspaceId, userId: member.id, role: 'viewer' })
    const remove = (cookie: string, userId: string) => request(host.handler).delete(`/auth/workspaces/${workspaceId}/members/${userId}`).set('Cookie', cookie)
    const byMember = await remove(member.cookie, admin.id)
    expect(byMember.status).toBe(403)
    expect(byMember.body.error.code).toBe('WORKSPACE_ROLE_MISSING')
    const ofOwner = await remove(admin.cookie, owner.id)
    expect(ofOwner.status).toBe(403)
    expect(ofOwner.body.error.code).toBe('ROLE_NOT_GRANTABLE')
    expect((await remove(admin.cookie, member.id)).status).toBe(204)
    expect((await remove(admin.cookie, member.id)).status).toBe(404)
    expect((await remove(admin.cookie, admin.id)).status).toBe(204)
    expect((await request(host.handler).get(`/auth/workspaces/${workspaceId}`).set('Cookie', admin.cookie)).status).toBe(404)
  })

  it('guards host routes by workspace role and permission read from :workspaceId', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const billing = await host.signUp('billing@example.com')
    const viewer = await host.signUp('viewer@example.com')
    const outsider = await host.signUp('outsider@example.com')
    const workspaceId = await host.withMember(owner.cookie, billing.id, 'billing')
    await host.gate.workspaces.addMember({ workspaceId, userId: viewer.id, role: 'viewer' })
    const call = (path: string, cookie?: string) => {
      const req = request(host.handler).get(`/api/w/${workspaceId}/${path}`)
      return cookie === undefined ? req : req.set('Cookie', cookie)
    }
    const adminOk = await call('admin', owner.cookie)
    expect(adminOk.status).toBe(200)
    expect(adminOk.body).toMatchObject({ workspaceId, role: 'owner', user: { email: 'owner@example.com' } })
    const notAdmin = await call('admin', billing.cookie)
    expect(notAdmin.status).toBe(403)
    expect(notAdmin.body.error.code).toBe('WORKSPACE_ROLE_MISSING')
    expect((await call('member', viewer.cookie)).body).toMatchObject({ workspaceId, role: 'viewer' })
    expect((await call('approve', billing.cookie)).status).toBe(200)
    expect((await call('approve', owner.cookie)).status).toBe(200)
    expect((await call('approve', viewer.cookie)).status).toBe(403)
    expect((await call('member', outsider.cookie)).status).toBe(404)
    expect((await call('member')).status).toBe(401)

    expect(await host.gate.workspaces.can({ workspaceId, userId: billing.id, permission: 'invoice:approve' })).toBe(true)
    expect(await host.gate.workspaces.can({ workspaceId, userId: viewer.id, permission: 'invoice:approve' })).toBe(false)
    expect(await host.gate.workspaces.can({ workspaceId, userId: viewer.id, permission: 'invoice:read' })).toBe(true)
    expect(await host.gate.workspaces.can({ workspaceId, userId: outsider.id, permission: 'invoice:read' })).toBe(false)
  })

  it('refuses unknown roles and redefined built-in roles when configuring', () => {
    const host = workspaceHost(framework)
    expect(() => host.gate.createGuard({ workspaceRole: 'superuser' })).toThrow(ConfigError)
    expect(() => createTestApp(framework, { workspaces: { roles: { admin: ['x'] } } })).toThrow(ConfigError)
    expect(() => createTestApp(framework, { workspaces: { roles: { 'Bad Role': ['x'] } } })).toThrow(ConfigError)
  })

  it('answers 409 ALREADY_MEMBER to adding a member twice, and cascades when a workspace or user goes', async () => {
    const host = workspaceHost(framework)
    const owner = await host.signUp('owner@example.com')
    const member = await host.signUp('member@example.com')
    const workspaceId = await host.withMember(owner.cookie, member.id, 'member')
    await expect(host.gate.workspaces.addMember({ workspaceId, userId: member.id, role: 'admin' })).rejects.toMatchObject({ code: 'ALREADY_MEMBER', status: 409 })
    const alone = await host.createWorkspace(owner.cookie, 'Alone')
    await host.gate.invitations.create({ workspaceId, inviterId: owner.id, email: 'invited@example.com' })
    expect(await host.gate.storage.invitations.listByEmail('invited@example.com')).toHaveLength(1)

    const unregister = await request(host.handler).post('/auth/unregister').set('Cookie', owner.cookie).send({ password })
    expect(unregister.status).toBe(204)
    expect(await host.gate.storage.workspaces.getById(alone)).toBeNull()
    // What the user sent goes with them.
    expect(await host.gate.storage.invitations.listByEmail('invited@example.com')).toEqual([])
    // The workspace others share passes to them instead of going.
    expect(await host.gate.workspaces.list({ userId: member.id })).toEqual([expect.objectContaining({ id: workspaceId, role: 'owner' })])
    expect(await host.gate.workspaces.delete({ workspaceId })).toBe(true)
    expect(await host.gate.storage.workspaces.listMembers(workspaceId)).toEqual([])
    expect((await request(host.handler).get('/auth/workspaces').set('Cookie', (await host.signUp('x@example.com')).cookie)).body).toEqual([])
  })
})
