import { randomBytes } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import type { GatehouseOptions } from '../../src/index.js'
import { createDeliveryTestApp, linkIn } from '../support/delivery-apps.js'
import { type Framework, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'
import { openPostgresPool } from '../support/server-connection.js'

const password = 'correct horse battery'
const lifetimeMs = 3600 * 1000

function invitationHost(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const app = createDeliveryTestApp(framework, {
    workspaces: { roles: { billing: ['invoice:approve'] }, invitations: { lifetimeSeconds: 3600 } },
    rateLimits: { signupPerIp: { max: 1000, windowSeconds: 60 } },
    ...overrides,
  })
  const http = () => request(app.handler)
  async function signUp(email: string) {
    const res = await http().post('/auth/signup').send({ email, password })
    expect(res.status).toBe(201)
    return { cookie: sessionCookieOf(res.headers['set-cookie']), id: res.body.user.id as string, email }
  }
  async function createWorkspace(cookie: string, name = 'Acme') {
    const res = await http().post('/auth/workspaces').set('Cookie', cookie).send({ name })
    expect(res.status).toBe(201)
    return res.body.id as string
  }
  /** Invites over HTTP and answers the mailed token. */
  async function invite(cookie: string, workspaceId: string, email: string, role?: string) {
    const res = await http().post(`/auth/workspaces/${workspaceId}/invitations`).set('Cookie', cookie).send({ email, role })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await app.gate.delivery.drain()
    const link = linkIn(app.mailer.last(email.trim().toLowerCase())?.text)
    return { id: res.body.id as string, body: res.body, link, token: decodeURIComponent(link.pathname.split('/').at(-1)!) }
  }
  return { ...app, http, signUp, createWorkspace, invite }
}

describe.each(['express', 'koa'] as const)('%s: workspace invitations', (framework) => {
  it('mails a link to an invitation that the invited user accepts once, with its role, which verifies their e-mail', async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const { body, link, token } = await host.invite(owner.cookie, workspaceId, ' New@Example.com ', 'billing')
    expect(body).toEqual({ id: expect.any(String), email: 'new@example.com', role: 'billing', expiresAt: new Date(host.clock.now() + lifetimeMs).toISOString() })
    expect(JSON.stringify(body)).not.toContain(token)
    expect(token).toMatch(/^ghi_[A-Za-z0-9_-]{43}$/)
    expect(link.href).toBe(`http://app.test/auth/invitations/${token}`)
    expect(host.mailer.last('new@example.com')).toMatchObject({ kind: 'invitation', subject: 'Join Acme on app.test' })
    const stored = await host.gate.storage.invitations.listByWorkspace(workspaceId)
    expect(JSON.stringify(stored)).not.toContain(token.slice(4))

    const preview = await host.http().get(`/auth/invitations/${token}`)
    expect(preview.status).toBe(200)
    expect(preview.body).toEqual({ workspace: { id: workspaceId, name: 'Acme' }, email: 'n***@example.com', role: 'billing', expiresAt: body.expiresAt })

    const invitee = await host.signUp('new@example.com')
    expect((await host.http().get('/auth/invitations').set('Cookie', invitee.cookie)).body).toEqual([])
    const accepted = await host.http().post(`/auth/invitations/${token}/accept`).set('Cookie', invitee.cookie).send({ role: 'owner' })
    expect(accepted.status).toBe(200)
    expect(accepted.body).toEqual({ workspace: { id: workspaceId, name: 'Acme' }, role: 'billing', userId: invitee.id, joinedAt: new Date(host.clock.now()).toISOString() })
    const current = await host.http().get('/auth/session').set('Cookie', invitee.cookie)
    expect(current.status).toBe(200)
    expect(current.body.user.emailVerified).toBe(true)
    expect(await host.gate.workspaces.can({ workspaceId, userId: invitee.id, permission: 'invoice:approve' })).toBe(true)

    const again = await host.http().post(`/auth/invitations/${token}/accept`).set('Cookie', invitee.cookie)
    expect(again.status).toBe(410)
    expect(again.body.error.code).toBe('INVITATION_USED')
    expect((await host.http().get(`/auth/invitations/${token}`)).status).toBe(410)
  })

  it("lists the pending invitations to a verified user's e-mail with their tokens", async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const first = await host.createWorkspace(owner.cookie, 'First')
    const second = await host.createWorkspace(owner.cookie, 'Second')
    const invitee = await host.signUp('jane@example.com')
    const { token: firstToken } = await host.invite(owner.cookie, first, 'jane@example.com')
    expect((await host.http().post(`/auth/invitations/${firstToken}/accept`).set('Cookie', invitee.cookie)).status).toBe(200)
    const { token, id } = await host.invite(owner.cookie, second, 'jane@example.com', 'admin')
    await host.invite(owner.cookie, second, 'someone@example.com')
    const list = await host.http().get('/auth/invitations').set('Cookie', invitee.cookie)
    expect(list.status).toBe(200)
    expect(list.headers['cache-control']).toBe('no-store')
    expect(list.body).toEqual([
      {
        id,
        token,
        workspace: { id: second, name: 'Second' },
        email: 'jane@example.com',
        role: 'admin',
        invitedBy: owner.id,
        createdAt: new Date(host.clock.now()).toISOString(),
        expiresAt: expect.any(String),
      },
    ])
    host.clock.advance(lifetimeMs)
    expect((await host.http().get('/auth/invitations').set('Cookie', invitee.cookie)).body).toEqual([])
  })

  it('answers 401, 403, 404, 400 and 409 to invitations nobody may send', async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const admin = await host.signUp('admin@example.com')
    const member = await host.signUp('member@example.com')
    const outsider = await host.signUp('outsider@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    await host.gate.workspaces.addMember({ workspaceId, userId: admin.id, role: 'admin' })
    await host.gate.workspaces.addMember({ workspaceId, userId: member.id, role: 'member' })
    const send = (cookie: string | undefined, body: object) => {
      const req = host.http().post(`/auth/workspaces/${workspaceId}/invitations`)
      return (cookie === undefined ? req : req.set('Cookie', cookie)).send(body)
    }
    const cases: [string | undefined, object, number, string][] = [
      [undefined, { email: 'x@example.com' }, 401, 'UNAUTHENTICATED'],
      [member.cookie, { email: 'x@example.com' }, 403, 'WORKSPACE_ROLE_MISSING'],
      [admin.cookie, { email: 'x@example.com', role: 'owner' }, 403, 'ROLE_NOT_GRANTABLE'],
      [outsider.cookie, { email: 'x@example.com' }, 404, 'NOT_FOUND'],
      [admin.cookie, { email: 'not an address' }, 400, 'INVALID_REQUEST'],
      [admin.cookie, { email: 'x@example.com', role: 'superuser' }, 400, 'INVALID_REQUEST'],
      [admin.cookie, { email: 'MEMBER@example.com' }, 409, 'ALREADY_MEMBER'],
    ]
    for (const [cookie, body, status, code] of cases) {
      const res = await send(cookie, body)
      expect(res.status, `${code} ${JSON.stringify(body)}`).toBe(status)
      expect(res.body.error.code).toBe(code)
    }
    expect(await host.gate.invitations.listByWorkspace({ workspaceId })).toEqual([])
    expect((await send(owner.cookie, { email: 'x@example.com', role: 'owner' })).status).toBe(201)
  })

  it('refuses accepting for another e-mail (403), an unknown token (404), an expired one (410) and for a member (409)', async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const jane = await host.signUp('jane@example.com')
    const other = await host.signUp('other@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const { token } = await host.invite(owner.cookie, workspaceId, 'jane@example.com')
    const accept = (cookie: string | undefined, value = token) => {
      const req = host.http().post(`/auth/invitations/${encodeURIComponent(value)}/accept`)
      return cookie === undefined ? req : req.set('Cookie', cookie)
    }
    expect((await accept(undefined)).status).toBe(401)
    const foreign = await accept(other.cookie)
    expect(foreign.status).toBe(403)
    expect(foreign.body.error.code).toBe('INVITATION_EMAIL_MISMATCH')
    expect((await accept(jane.cookie, 'ghi_unknown')).status).toBe(404)
    expect((await host.http().get('/auth/invitations/ghi_unknown')).status).toBe(404)
    expect((await accept(jane.cookie, 'x'.repeat(5000))).status).toBe(404)

    await host.gate.workspaces.addMember({ workspaceId, userId: jane.id, role: 'member' })
    const member = await accept(jane.cookie)
    expect(member.status).toBe(409)
    expect(member.body.error.code).toBe('ALREADY_MEMBER')
    await host.gate.workspaces.removeMember({ workspaceId, actorId: jane.id, userId: jane.id })

    host.clock.advance(lifetimeMs)
    const expired = await accept(jane.cookie)
    expect(expired.status).toBe(410)
    expect(expired.body.error.code).toBe('INVITATION_EXPIRED')
    const preview = await host.http().get(`/auth/invitations/${token}`)
    expect(preview.status).toBe(410)
    expect(preview.body.error.code).toBe('INVITATION_EXPIRED')
  })

  it('answers 401 on every signed-in workspace and invitation route without credentials', async () => {
    const host = invitationHost(framework)
    for (const [method, path] of [
      ['post', '/auth/workspaces'],
      ['get', '/auth/workspaces'],
      ['get', '/auth/workspaces/w1'],
      ['get', '/auth/workspaces/w1/members'],
      ['patch', '/auth/workspaces/w1/members/u1'],
      ['delete', '/auth/workspaces/w1/members/u1'],
      ['post', '/auth/workspaces/w1/invitations'],
      ['delete', '/auth/workspaces/w1/invitations/i1'],
      ['get', '/auth/invitations'],
      ['post', '/auth/invitations/ghi_x/accept'],
      ['delete', '/auth/invitations/ghi_x'],
    ] as const) {
      const res = await host.http()[method](path).send({})
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(res.body.error.code).toBe('UNAUTHENTICATED')
    }
  })

  it('refuses an API token (403) and a session still pending its second factor (403)', async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const jane = await host.signUp('jane@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const { token } = await host.invite(owner.cookie, workspaceId, 'jane@example.com')

    const apiToken = await host.http().post('/auth/tokens').set('Cookie', jane.cookie).send({ name: 'ci', scopes: ['tokens:write'] })
    expect(apiToken.status).toBe(201)
    const byToken = await host.http().post(`/auth/invitations/${token}/accept`).set('Authorization', `Bearer ${apiToken.body.token}`)
    expect(byToken.status).toBe(403)

    const enabled = await host.http().post('/auth/totp').set('Cookie', jane.cookie)
    const code = referenceTotpAt(enabled.body.secret, host.clock.now())
    expect((await host.http().post('/auth/totp/confirm').set('Cookie', jane.cookie).send({ code })).status).toBe(200)
    const login = await host.http().post('/auth/session').send({ email: 'jane@example.com', password })
    expect(login.body.pending).toBe(true)
    const pending = await host.http().post(`/auth/invitations/${token}/accept`).set('Cookie', sessionCookieOf(login.headers['set-cookie']))
    expect(pending.status).toBe(403)
    expect(pending.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    expect(await host.gate.workspaces.get({ workspaceId, userId: jane.id })).toBeNull()
  })

  it('takes an API token holding the manage scope with invitations.acceptWithToken; a narrower token gets 403', async () => {
    const host = invitationHost(framework, { tokens: { scopes: ['read', 'tokens:write'] }, workspaces: { invitations: { acceptWithToken: true } } })
    const owner = await host.signUp('owner@example.com')
    const jane = await host.signUp('jane@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const { token } = await host.invite(owner.cookie, workspaceId, 'jane@example.com')
    const issue = async (scopes: string[]) => (await host.http().post('/auth/tokens').set('Cookie', jane.cookie).send({ name: 'ci', scopes })).body.token as string
    const narrow = await host.http().post(`/auth/invitations/${token}/accept`).set('Authorization', `Bearer ${await issue(['read'])}`)
    expect(narrow.status).toBe(403)
    expect(narrow.body.error.code).toBe('SCOPE_MISSING')
    expect(await host.gate.workspaces.get({ workspaceId, userId: jane.id })).toBeNull()
    const accepted = await host.http().post(`/auth/invitations/${token}/accept`).set('Authorization', `Bearer ${await issue(['tokens:write'])}`)
    expect(accepted.status).toBe(200)
    expect((await host.gate.workspaces.get({ workspaceId, userId: jane.id }))?.role).toBe('member')
  })

  it('lets an admin revoke and the invitee decline; both leave the token unknown', async () => {
    const host = invitationHost(framework)
    const owner = await host.signUp('owner@example.com')
    const jane = await host.signUp('jane@example.com')
    const other = await host.signUp('other@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const elsewhere = await host.createWorkspace(other.cookie, 'Elsewhere')
    const revoked = await host.invite(owner.cookie, workspaceId, 'jane@example.com')
    const wrongWorkspace = await host.http().delete(`/auth/workspaces/${elsewhere}/invitations/${revoked.id}`).set('Cookie', other.cookie)
    expect(wrongWorkspace.status).toBe(404)
    expect((await host.http().delete(`/auth/workspaces/${workspaceId}/invitations/${revoked.id}`).set('Cookie', jane.cookie)).status).toBe(404)
    expect((await host.http().delete(`/auth/workspaces/${workspaceId}/invitations/${revoked.id}`).set('Cookie', owner.cookie)).status).toBe(204)
    expect((await host.http().delete(`/auth/workspaces/${workspaceId}/invitations/${revoked.id}`).set('Cookie', owner.cookie)).status).toBe(404)
    expect((await host.http().get(`/auth/invitations/${revoked.token}`)).status).toBe(404)
    expect((await host.http().post(`/auth/invitations/${revoked.token}/accept`).set('Cookie', jane.cookie)).status).toBe(404)

    const declined = await host.invite(owner.cookie, workspaceId, 'jane@example.com')
    expect((await host.http().delete(`/auth/invitations/${declined.token}`)).status).toBe(401)
    expect((await host.http().delete(`/auth/invitations/${declined.token}`).set('Cookie', other.cookie)).status).toBe(404)
    expect((await host.http().delete(`/auth/invitations/${declined.token}`).set('Cookie', jane.cookie)).status).toBe(204)
    expect((await host.http().delete(`/auth/invitations/${declined.token}`).set('Cookie', jane.cookie)).status).toBe(404)
    expect((await host.http().get(`/auth/invitations/${declined.token}`)).status).toBe(404)
  })

  it('caps invitations per inviter and per workspace with 429', async () => {
    const host = invitationHost(framework, {
      workspaces: { invitations: { rateLimits: { perInviter: { max: 2, windowSeconds: 3600 }, perWorkspace: { max: 3, windowSeconds: 86400 } } } },
    })
    const owner = await host.signUp('owner@example.com')
    const admin = await host.signUp('admin@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    await host.gate.workspaces.addMember({ workspaceId, userId: admin.id, role: 'admin' })
    const send = (cookie: string, email: string) => host.http().post(`/auth/workspaces/${workspaceId}/invitations`).set('Cookie', cookie).send({ email })
    expect((await send(owner.cookie, 'a@example.com')).status).toBe(201)
    expect((await send(owner.cookie, 'b@example.com')).status).toBe(201)
    const perInviter = await send(owner.cookie, 'c@example.com')
    expect(perInviter.status).toBe(429)
    expect(perInviter.body.error.code).toBe('RATE_LIMITED')
    expect(Number(perInviter.headers['retry-after'])).toBeGreaterThan(0)
    expect((await send(admin.cookie, 'd@example.com')).status).toBe(429)
  })

  it('lets exactly one of 20 concurrent accepts of one invitation through', async () => {
    await acceptConcurrently(invitationHost(framework))
  })

  it('links to the host page when configured, and forgets invitations with their workspace', async () => {
    const host = invitationHost(framework, { workspaces: { invitations: { linkPath: '/join' } } })
    const owner = await host.signUp('owner@example.com')
    const workspaceId = await host.createWorkspace(owner.cookie)
    const res = await host.http().post(`/auth/workspaces/${workspaceId}/invitations`).set('Cookie', owner.cookie).send({ email: 'jane@example.com' })
    expect(res.status).toBe(201)
    // Without lifetimeSeconds an invitation works for 7 days.
    expect(res.body.expiresAt).toBe(new Date(host.clock.now() + 7 * 24 * 3600 * 1000).toISOString())
    await host.gate.delivery.drain()
    const link = linkIn(host.mailer.last('jane@example.com')?.text)
    expect(`${link.origin}${link.pathname}`).toBe('http://app.test/join')
    const token = link.searchParams.get('token')!
    expect((await host.http().get(`/auth/invitations/${token}`)).status).toBe(200)
    await host.gate.workspaces.delete({ workspaceId })
    expect((await host.http().get(`/auth/invitations/${token}`)).status).toBe(404)
    expect(await host.gate.storage.invitations.listByEmail('jane@example.com')).toEqual([])
  })
})

/** 20 accepts of one invitation at once: exactly one joins. */
async function acceptConcurrently(host: ReturnType<typeof invitationHost>) {
  // Unique addresses: the PostgreSQL runs share one schema.
  const suffix = randomBytes(4).toString('hex')
  const owner = await host.signUp(`owner-${suffix}@example.com`)
  const jane = await host.signUp(`jane-${suffix}@example.com`)
  const workspaceId = await host.createWorkspace(owner.cookie)
  const { token } = await host.invite(owner.cookie, workspaceId, jane.email)
  const results = await Promise.all(Array.from({ length: 20 }, () => host.http().post(`/auth/invitations/${token}/accept`).set('Cookie', jane.cookie)))
  const statuses = results.map((res) => res.status)
  expect(statuses.filter((status) => status === 200)).toHaveLength(1)
  expect(statuses.every((status) => status === 200 || status === 409 || status === 410)).toBe(true)
  expect((await host.gate.workspaces.listMembers({ workspaceId })).map((member) => member.email)).toEqual([owner.email, jane.email])
}

const pool = await openPostgresPool()

if (pool !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
  beforeAll(() => migrate(pool, { schema }))
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  })

  describe.each(['express', 'koa'] as const)('%s: workspace invitations on PostgreSQL', (framework) => {
    it('lets exactly one of 20 concurrent accepts of one invitation through', async () => {
      await acceptConcurrently(invitationHost(framework, { storage: postgresStorage(pool, { schema }) }))
    })
  })
}
