import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing, frameworks } from '../support/example-apps.js'
import { type HostileProvider, useHostileProvider } from '../support/hostile-oidc-provider.js'
import { mountHost } from '../support/mount-host.js'

/**
 * Options grown for reproducing Pupil Cloud, each generic: host-declared profile fields, the
 * account switches, a required token name, 204 answers that carry what they ended for shaping,
 * promise-returning success bodies, a double-submit CSRF token, 403 for a foreign workspace
 * header, invitee-only invitationGet, and profile fields given at an ID-token sign-up.
 */

const baseUrl = 'http://app.test'
const password = 'long enough pw'
const clientId = 'contract-app'
const clientSecret = 'a client secret long enough for HS256 at the provider'

let provider: HostileProvider
useHostileProvider({ clientId, clientSecret, redirectUri: `${baseUrl}/unused` }, (started) => (provider = started))

const profileFields: GatehouseOptions['profileFields'] = {
  photo_url: { type: 'url' },
  subscribed: { type: 'boolean', default: true },
  plan: { type: 'string', maxLength: 10, writable: false, default: 'free' },
  onboarded_at: { type: 'timestamp', setBy: 'onboarded' },
}

function mount(framework: Framework, options: Partial<GatehouseOptions> = {}) {
  const clock = createFixedClock(Date.now())
  const mailer = createCaptureMailer()
  const gate = createGatehouse({ baseUrl, clock, passwords: fastHashing, logger: { error: () => {} }, delivery: { email: mailer }, ...options })
  const app = mountHost(framework, gate, { guarded: { '/host/whoami': {} } })
  async function signUp(email: string) {
    const res = await request(app).post('/auth/signup').send({ email, password })
    if (res.status !== 201) throw new Error(`signup answered ${res.status}`)
    const cookie = String(res.headers['set-cookie']).split(';', 1)[0]!
    const user = res.body.result?.user ?? res.body.user
    return { id: user.id as string, cookie, user }
  }
  return { gate, app, clock, mailer, signUp }
}

describe.each(frameworks)('%s: profile fields', (framework) => {
  it('gives a new user the defaults, writes the writable fields by type, and refuses read-only and unknown ones', async () => {
    const { app, clock, signUp } = mount(framework, { profileFields })
    const { cookie, user } = await signUp('a@example.com')
    expect(user.profile).toEqual({ photo_url: null, subscribed: true, plan: 'free', onboarded_at: null })
    const patched = await request(app).patch('/auth/profile').set('cookie', cookie).send({ photo_url: 'https://img.test/a.png', subscribed: false, onboarded: true, name: 'Ada' })
    expect(patched.status).toBe(200)
    const onboardedAt = new Date(clock.now()).toISOString()
    expect(patched.body.user).toMatchObject({ name: 'Ada', profile: { photo_url: 'https://img.test/a.png', subscribed: false, plan: 'free', onboarded_at: onboardedAt } })
    clock.advance(5000)
    expect((await request(app).patch('/auth/profile').set('cookie', cookie).send({ onboarded: true })).body.user.profile.onboarded_at).toBe(onboardedAt)
    const cleared = await request(app).patch('/auth/profile').set('cookie', cookie).send({ onboarded: false, photo_url: null })
    expect(cleared.body.user.profile).toEqual({ photo_url: null, subscribed: false, plan: 'free', onboarded_at: null })
    expect((await request(app).get('/auth/profile').set('cookie', cookie)).body.user.profile).toEqual(cleared.body.user.profile)
    expect((await request(app).get('/auth/session').set('cookie', cookie)).body.user.profile).toEqual(cleared.body.user.profile)
    for (const body of [{ plan: 'pro' }, { onboarded_at: 'now' }, { unknown: 1 }, { photo_url: 'javascript:alert(1)' }, { subscribed: 'yes' }, { onboarded: 1 }, { id: 'x' }]) {
      const bad = await request(app).patch('/auth/profile').set('cookie', cookie).send(body)
      expect(bad.status, JSON.stringify(body)).toBe(400)
      expect(bad.body.error.code).toBe('INVALID_REQUEST')
    }
    expect((await request(app).get('/auth/profile').set('cookie', cookie)).body.user.profile).toEqual(cleared.body.user.profile)
  })

  it('leaves users without a profile when no field is declared, and refuses names a user field has', async () => {
    const { app, signUp } = mount(framework)
    const { user, cookie } = await signUp('b@example.com')
    expect('profile' in user).toBe(false)
    expect((await request(app).patch('/auth/profile').set('cookie', cookie).send({ photo_url: 'https://img.test/b.png' })).status).toBe(400)
    expect(() => createGatehouse({ baseUrl, profileFields: { email: { type: 'string' } } })).toThrow(ConfigError)
    expect(() => createGatehouse({ baseUrl, profileFields: { at: { type: 'timestamp', setBy: 'name' } } })).toThrow(ConfigError)
    expect(() => createGatehouse({ baseUrl, profileFields: { photo: { type: 'url', default: 'javascript:x' } } })).toThrow(ConfigError)
  })
})

describe.each(frameworks)('%s: account switches and a required token name', (framework) => {
  it('account.emailChange false refuses email in profileUpdate; true (default) takes it', async () => {
    const fixed = mount(framework, { account: { emailChange: false } })
    const { cookie } = await fixed.signUp('c@example.com')
    const refused = await request(fixed.app).patch('/auth/profile').set('cookie', cookie).send({ email: 'new@example.com', currentPassword: password })
    expect(refused.status).toBe(400)
    expect(refused.body.error.details).toEqual([{ path: 'email', message: expect.any(String) }])
    const open = mount(framework, { delivery: {} })
    const other = await open.signUp('d@example.com')
    expect((await request(open.app).patch('/auth/profile').set('cookie', other.cookie).send({ email: 'new@example.com', currentPassword: password })).body.user.email).toBe('new@example.com')
  })

  it('account.unregisterNeedsPassword false deletes without a body; the default still asks for the password', async () => {
    const strict = mount(framework)
    const kept = await strict.signUp('e@example.com')
    expect((await request(strict.app).post('/auth/unregister').set('cookie', kept.cookie)).status).toBe(400)
    expect(await strict.gate.storage.users.getById(kept.id)).not.toBeNull()
    const loose = mount(framework, { account: { unregisterNeedsPassword: false } })
    const gone = await loose.signUp('f@example.com')
    const res = await request(loose.app).post('/auth/unregister').set('cookie', gone.cookie)
    expect(res.status).toBe(204)
    expect(await loose.gate.storage.users.getById(gone.id)).toBeNull()
  })

  it('tokens.requireName answers 400 for a token without a name', async () => {
    const { app, signUp } = mount(framework, { tokens: { requireName: true } })
    const { cookie } = await signUp('g@example.com')
    const missing = await request(app).post('/auth/tokens').set('cookie', cookie).send({})
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'name', message: 'Required' }] })
    expect((await request(app).post('/auth/tokens').set('cookie', cookie).send({ name: 'ci' })).status).toBe(201)
    const loose = mount(framework)
    const other = await loose.signUp('h@example.com')
    expect((await request(loose.app).post('/auth/tokens').set('cookie', other.cookie).send({})).body.name).toBe('API token')
  })
})

describe.each(frameworks)('%s: 204 answers for shaping and promise bodies', (framework) => {
  it('logout and apiTokenRevoke stay bodiless 204s, and hand shaping what they ended', async () => {
    const plain = mount(framework)
    const a = await plain.signUp('i@example.com')
    const token = (await request(plain.app).post('/auth/tokens').set('cookie', a.cookie).send({ name: 'x' })).body
    const revoked = await request(plain.app).delete(`/auth/tokens/${token.id}`).set('cookie', a.cookie)
    expect(revoked.status).toBe(204)
    expect(revoked.text).toBe('')
    const out = await request(plain.app).delete('/auth/session').set('cookie', a.cookie)
    expect(out.status).toBe(204)
    expect(out.text).toBe('')

    const shaped = mount(framework, {
      responses: { envelope: (result) => ({ result }) },
      shape: {
        apiTokenRevoke: { success: { status: 200 } },
        // A promise: the shaping function looks the user up.
        logout: { success: { status: 200, body: async (body) => ((body as { user: { id: string } | null }).user === null ? null : { email: (await shaped.gate.storage.users.getById((body as { user: { id: string } }).user.id))?.email }) } },
      },
    })
    const b = await shaped.signUp('j@example.com')
    const created = (await request(shaped.app).post('/auth/tokens').set('cookie', b.cookie).send({ name: 'y' })).body.result
    const deleted = await request(shaped.app).delete(`/auth/tokens/${created.id}`).set('cookie', b.cookie)
    expect(deleted.status).toBe(200)
    expect(deleted.body.result).toEqual({ id: created.id, name: 'y', scopes: [], createdAt: created.createdAt, lastUsedAt: null, expiresAt: null, expired: false, userId: created.userId, hint: created.hint })
    const loggedOut = await request(shaped.app).delete('/auth/session').set('cookie', b.cookie)
    expect(loggedOut.body).toEqual({ result: { email: 'j@example.com' } })
    expect((await request(shaped.app).delete('/auth/session').set('cookie', b.cookie)).body).toEqual({ result: null })
    expect((await request(shaped.app).delete('/auth/session')).body).toEqual({ result: null })
  })
})

describe.each(frameworks)('%s: a double-submit CSRF token', (framework) => {
  it('lets a login through only when the body field equals the cookie', async () => {
    const { app, gate, signUp } = mount(framework, { shape: { login: { doubleSubmit: { cookie: 'csrf_token', field: 'csrf' } } } })
    // The document says what a client must send.
    const operation = gate.openApi().paths['/session']!.post as { parameters: unknown[]; requestBody: { content: Record<string, { schema: { required: string[] } }> } }
    expect(operation.requestBody.content['application/json']!.schema.required).toEqual(expect.arrayContaining(['csrf']))
    expect(operation.parameters).toContainEqual({ name: 'csrf_token', in: 'cookie', required: true, schema: { type: 'string' } })
    await signUp('k@example.com')
    const login = (cookie: string | null, csrf: unknown) => {
      const call = request(app).post('/auth/session').send({ email: 'k@example.com', password, csrf })
      return cookie === null ? call : call.set('cookie', cookie)
    }
    expect((await login('csrf_token=abc', 'abc')).status).toBe(200)
    for (const [cookie, csrf] of [['csrf_token=abc', 'abd'], [null, 'abc'], ['csrf_token=abc', undefined], ['csrf_token=', ''], ['csrf_token=abc', ['abc']], [`csrf_token=${'a'.repeat(600)}`, 'a'.repeat(600)]] as const) {
      const res = await login(cookie, csrf)
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('CSRF_REJECTED')
    }
    expect(() => createGatehouse({ baseUrl, shape: { login: { doubleSubmit: { cookie: 'bad name;', field: 'x' } } } })).toThrow(ConfigError)
  })
})

describe.each(frameworks)('%s: foreign workspaces and invitee-only invitations', (framework) => {
  it('authenticate.foreignWorkspaceStatus 403 answers a workspace header naming a workspace the caller is not in', async () => {
    for (const status of [403, 404] as const) {
      const { app, gate, signUp } = mount(framework, { tokens: { apiKeyHeader: 'api-key' }, authenticate: { workspaceHeader: 'workspace-id', foreignWorkspaceStatus: status } })
      const me = await signUp('l@example.com')
      const other = await signUp('m@example.com')
      const theirs = await gate.workspaces.create({ name: 'Theirs', ownerId: other.id })
      const mine = await gate.workspaces.create({ name: 'Mine', ownerId: me.id })
      expect((await request(app).get('/host/whoami').set('cookie', me.cookie).set('workspace-id', mine.id)).body.workspaceId).toBe(mine.id)
      for (const workspaceId of [theirs.id, 'unknown']) {
        const res = await request(app).get('/host/whoami').set('cookie', me.cookie).set('workspace-id', workspaceId)
        expect(res.status).toBe(status)
        expect(res.body.error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND')
      }
    }
  })

  it('authenticate.defaultWorkspace names the workspace of a request without the header, if the user is in it', async () => {
    let choice: (id: string) => string | null = () => null
    const seen: string[] = []
    const { app, gate, signUp } = mount(framework, {
      authenticate: {
        workspaceHeader: 'workspace-id',
        defaultWorkspace: async (user) => {
          seen.push(user.email)
          return choice(user.id)
        },
      },
    })
    const me = await signUp('q@example.com')
    const other = await signUp('r@example.com')
    const mine = await gate.workspaces.create({ name: 'Mine', ownerId: me.id })
    const second = await gate.workspaces.create({ name: 'Second', ownerId: me.id })
    const theirs = await gate.workspaces.create({ name: 'Theirs', ownerId: other.id })
    const whoami = (headers: Record<string, string> = {}) => request(app).get('/host/whoami').set('cookie', me.cookie).set(headers)
    expect((await whoami()).body.workspaceId).toBeUndefined()
    choice = () => mine.id
    expect((await whoami()).body).toMatchObject({ workspaceId: mine.id, role: 'owner' })
    expect(seen.at(-1)).toBe('q@example.com')
    // The header wins; a default the user is not in is no workspace, never a refusal.
    expect((await whoami({ 'workspace-id': second.id })).body.workspaceId).toBe(second.id)
    choice = () => theirs.id
    const none = await whoami()
    expect(none.status).toBe(200)
    expect(none.body.workspaceId).toBeUndefined()
    expect(() => createGatehouse({ baseUrl, authenticate: { defaultWorkspace: 'first' as never } })).toThrow(ConfigError)
  })

  it('workspaces.invitations.inviteeOnlyGet answers the whole invitation to its invitee only', async () => {
    const { app, gate, mailer, clock, signUp } = mount(framework, { workspaces: { invitations: { inviteeOnlyGet: true } } })
    const owner = await signUp('owner@example.com')
    const invitee = await signUp('n@example.com')
    const stranger = await signUp('o@example.com')
    const workspace = await gate.workspaces.create({ name: 'W', ownerId: owner.id })
    const created = await gate.invitations.create({ workspaceId: workspace.id, inviterId: owner.id, email: 'n@example.com', role: 'admin' })
    await gate.delivery.drain()
    const token = /ghi_[A-Za-z0-9_-]+/.exec(mailer.messages.at(-1)!.text)![0]
    expect((await request(app).get(`/auth/invitations/${token}`)).status).toBe(401)
    expect((await request(app).get(`/auth/invitations/${token}`).set('cookie', stranger.cookie)).status).toBe(404)
    const own = await request(app).get(`/auth/invitations/${token}`).set('cookie', invitee.cookie)
    expect(own.status).toBe(200)
    expect(own.headers['cache-control']).toBe('no-store')
    const now = new Date(clock.now()).toISOString()
    expect(own.body).toEqual({ id: created.id, token, workspace: { id: workspace.id, name: 'W' }, email: 'n@example.com', role: 'admin', invitedBy: owner.id, createdAt: now, expiresAt: created.expiresAt })
    clock.advance(8 * 24 * 3600 * 1000)
    const fresh = await signUp('p@example.com')
    expect((await request(app).get(`/auth/invitations/${token}`).set('cookie', fresh.cookie)).status).toBe(404)
  })
})

describe.each(frameworks)('%s: profile fields at an ID-token sign-up', (framework) => {
  it('keeps oidcTokenLogin profile values for a new user, checks them, and leaves an existing user alone', async () => {
    const { app, clock } = mount(framework, {
      profileFields,
      oidc: { allowInsecureRequests: true, providers: [{ id: 'corp', name: 'Corp', issuer: provider.issuer, clientId, clientSecret }] },
    })
    provider.now = () => clock.now()
    const idToken = await provider.mintIdToken({ claims: { sub: 'q-sub', email: 'q@example.com' } })
    const bad = await request(app).post('/auth/oidc/corp/token').send({ idToken, profile: { plan: 'pro' } })
    expect(bad.status).toBe(400)
    const created = await request(app).post('/auth/oidc/corp/token').send({ idToken, profile: { subscribed: false, onboarded: true } })
    expect(created.status).toBe(200)
    expect(created.body.user.profile).toEqual({ photo_url: null, subscribed: false, plan: 'free', onboarded_at: new Date(clock.now()).toISOString() })
    const again = await request(app).post('/auth/oidc/corp/token').send({ idToken, profile: { subscribed: true } })
    expect(again.body.user.profile.subscribed).toBe(false)
  })
})
