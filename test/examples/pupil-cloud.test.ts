import { randomBytes } from 'node:crypto'
import request from 'supertest'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../examples/pupil-cloud/app.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import type { GatehouseOptions } from '../../src/index.js'
import { openPostgresPool } from '../support/server-connection.js'
import { type HostileProvider, useHostileProvider } from '../support/hostile-oidc-provider.js'
import { openApiEndpointKeys, readSeedDocument, seedEndpointKeys, unservedEndpoints } from '../support/seed-endpoints.js'

const baseUrl = 'http://pupil.test'
const clientId = 'pupil-web'
const clientSecret = 'a client secret long enough for HS256 at the provider'
const cannyKey = 'canny-test-private-key-0123456789-0123456789'
const csrf = 'csrf-value-of-this-browser'

let issuer: HostileProvider
useHostileProvider({ clientId, clientSecret, redirectUri: `${baseUrl}/unused` }, (started) => (issuer = started))

async function start(overrides: Partial<GatehouseOptions> = {}) {
  const mailer = createCaptureMailer()
  const clock = createFixedClock(Date.now())
  issuer.now = () => clock.now()
  const errors: string[] = []
  const app = await createApp({
    baseUrl,
    clock,
    delivery: { email: mailer },
    logger: { error: (message) => errors.push(message), warn: () => {} },
    oidc: { allowInsecureRequests: true, providers: [{ id: 'google', name: 'Google', issuer: issuer.issuer, clientId, clientSecret }] },
    // Only the key: the example's Canny claim mapping stays (seed-contracts.md 7.9).
    federation: { audiences: { canny: { algorithm: 'HS256', secret: cannyKey } } },
    ...overrides,
  })
  const http = () => request(app.listener)
  /** P11 as a browser does it: the CSRF cookie and the same value in the body. */
  const loginRequest = (body: Record<string, unknown>, cookie = `csrf_token=${csrf}`) => http().post('/v2/auth/login').set('cookie', cookie).send(body)
  const idTokenFor = (subject: string, email: string, claims: Record<string, unknown> = {}) =>
    issuer.mintIdToken({ claims: { sub: subject, email, email_verified: true, name: subject, ...claims } })
  /** Signs in as `subject` (creating the user the first time): its session cookie and Profile. */
  async function signIn(subject: string, email: string, extra: Record<string, unknown> = {}) {
    const res = await loginRequest({ id_token: await idTokenFor(subject, email), csrf_token: csrf, type: 'google', ...extra })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const line = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((each) => each.startsWith('gatehouse_session=') && !each.startsWith('gatehouse_session=;'))
    return { cookie: line!.split(';', 1)[0]!, profile: res.body.result as Record<string, unknown>, res }
  }
  /** An invitation to `email` from a new owner of a new workspace, and its token as the mail carries it. */
  async function invite(email: string, role = 'member') {
    const owner = await signIn(`owner-${Math.random()}`, `owner-${Math.random()}@example.com`)
    const workspace = await app.gate.workspaces.create({ name: 'Lab', ownerId: owner.profile.id as string })
    const created = await app.gate.invitations.create({ workspaceId: workspace.id, inviterId: owner.profile.id as string, email, role })
    await app.gate.delivery.drain()
    const token = /ghi_[A-Za-z0-9_-]+/.exec(mailer.messages.at(-1)!.text)![0]
    return { owner, workspace, created, token }
  }
  return { ...app, mailer, clock, errors, http, loginRequest, idTokenFor, signIn, invite }
}

const envelope = (result: unknown, code = 200) => ({ status: 'success', code, result })
const refusal = (code: number) => ({ status: 'error', code, message: expect.any(String) })

describe('examples/pupil-cloud', () => {
  it('starts in under a second', async () => {
    const began = performance.now()
    await createApp({ baseUrl })
    expect(performance.now() - began).toBeLessThan(1000)
  })

  it("serves the seed's endpoint table exactly, every endpoint from gatehouse's route table", async () => {
    const seed = readSeedDocument('004_860ffc7bbcde966f.txt')
    const app = await start()
    expect(seed.basePath).toBe('/v2')
    expect(openApiEndpointKeys(app.gate.openApi())).toEqual(seedEndpointKeys(seed))
    // P11's LoginRequest as the document gives it: the provider comes from `type`, the CSRF token from the body and the cookie.
    const login = app.gate.openApi().paths['/auth/login']!.post as { parameters: unknown[]; requestBody: { content: Record<string, { schema: { properties: object; required: string[] } }> } }
    const schema = login.requestBody.content['application/json']!.schema
    expect(schema.required.sort()).toEqual(['csrf_token', 'id_token', 'type'])
    expect(login.parameters).toEqual([{ name: 'csrf_token', in: 'cookie', required: true, schema: { type: 'string' } }])
    expect(await unservedEndpoints(app.listener, seed)).toEqual([])
  })

  it('P11 POST /auth/login: 200 Profile + cookie; the first login creates the user with provider = type', async () => {
    const app = await start()
    const { profile, res, cookie } = await app.signIn('ada-sub', 'Ada@Example.com', { product_updates_subscribed: true })
    expect(res.body).toEqual(envelope(profile))
    expect(profile).toEqual({
      id: expect.any(String),
      uid: 'ada-sub',
      email: 'ada@example.com',
      email_verified: true,
      name: 'ada-sub',
      provider: 'google',
      photo_url: null,
      product_updates_subscribed: true,
      onboarded_at: null,
      default_workspace_id: null,
      user_workspaces: [],
    })
    expect(String(res.headers['set-cookie'])).toMatch(/gatehouse_session=ghs_[^;]+; .*HttpOnly/)
    // A second login finds the same user; product_updates_subscribed only applies to a new one.
    const again = await app.signIn('ada-sub', 'ada@example.com', { product_updates_subscribed: false })
    expect(again.profile.id).toBe(profile.id)
    expect(again.profile.product_updates_subscribed).toBe(true)
    expect((await app.http().get('/v2/auth/profile').set('cookie', cookie)).status).toBe(200)
  })

  it('P11: 400 for missing fields, a CSRF mismatch, an unknown type; 401 "Invalid token"; 403 "Token expired"', async () => {
    const app = await start()
    const idToken = await app.idTokenFor('bob-sub', 'bob@example.com')
    const good = { id_token: idToken, csrf_token: csrf, type: 'google' }
    for (const body of [{ ...good, id_token: undefined }, { ...good, type: undefined }, { ...good, csrf_token: undefined }, { ...good, product_updates_subscribed: 'yes' }]) {
      const res = await app.loginRequest(body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual(refusal(400))
    }
    expect((await app.loginRequest({ ...good, csrf_token: 'another value' })).status).toBe(400)
    expect((await app.loginRequest(good, '')).status).toBe(400)
    expect((await app.loginRequest({ ...good, type: 'facebook' })).status).toBe(400)
    // A cross-site page cannot log a browser in either (gatehouse's Origin check, in the same 400).
    expect((await app.loginRequest(good).set('origin', 'http://evil.test')).body).toEqual(refusal(400))
    const malformed = await app.http().post('/v2/auth/login').set('cookie', `csrf_token=${csrf}`).set('content-type', 'application/json').send('{"id_token":')
    expect(malformed.status).toBe(400)
    expect(malformed.body).toEqual(refusal(400))

    const seconds = Math.floor(app.clock.now() / 1000)
    const badOnes = [
      await issuer.mintIdToken({ claims: { sub: 'bob-sub', email: 'bob@example.com', aud: 'another-client' } }),
      await issuer.mintIdToken({ claims: { sub: 'bob-sub', email: 'bob@example.com', iss: 'https://evil.test' } }),
      await issuer.mintIdToken({ claims: { sub: 'bob-sub', email: 'bob@example.com' }, sign: 'rogue' }),
      'not.a.jwt',
    ]
    for (const id_token of badOnes) {
      const res = await app.loginRequest({ ...good, id_token })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ status: 'error', code: 401, message: 'Invalid token' })
      expect(res.headers['set-cookie']).toBeUndefined()
    }
    const expired = await issuer.mintIdToken({ claims: { sub: 'bob-sub', email: 'bob@example.com', iat: seconds - 900, exp: seconds - 600 } })
    const late = await app.loginRequest({ ...good, id_token: expired })
    expect(late.status).toBe(403)
    expect(late.body).toEqual({ status: 'error', code: 403, message: 'Token expired' })
    expect(await app.gate.storage.users.getByEmail('bob@example.com')).toBeNull()
    expect(app.errors).toEqual([])
  })

  it('PU-1: api-key or the session cookie; workspace-id of a workspace the caller is not in is 403; bad credentials 401', async () => {
    const app = await start()
    const { cookie, profile } = await app.signIn('cy-sub', 'cy@example.com')
    const created = await app.http().post('/v2/auth/tokens').set('cookie', cookie).send({ name: 'laptop' })
    const apiKey = created.body.result.token as string
    expect((await app.http().get('/v2/auth/profile').set('api-key', apiKey)).body.result.id).toBe(profile.id)
    const mine = await app.gate.workspaces.create({ name: 'Mine', ownerId: profile.id as string })
    const other = await app.signIn('dee-sub', 'dee@example.com')
    const theirs = await app.gate.workspaces.create({ name: 'Theirs', ownerId: other.profile.id as string })
    expect((await app.http().get('/v2/auth/profile').set('api-key', apiKey).set('workspace-id', mine.id)).status).toBe(200)
    // Without the header the request works in the default workspace: the Profile's default_workspace_id.
    const second = await app.gate.workspaces.create({ name: 'Second', ownerId: profile.id as string })
    const caller = (headers: Record<string, string>) => app.gate.authenticate({ method: 'GET', headers: { get: (name) => headers[name] ?? null } })
    expect((await app.http().get('/v2/auth/profile').set('api-key', apiKey)).body.result.default_workspace_id).toBe(mine.id)
    expect(await caller({ 'api-key': apiKey })).toMatchObject({ workspaceId: mine.id, role: 'owner' })
    expect(await caller({ 'api-key': apiKey, 'workspace-id': second.id })).toMatchObject({ workspaceId: second.id })
    for (const workspaceId of [theirs.id, 'no-such-workspace']) {
      for (const credential of [{ 'api-key': apiKey }, { cookie }]) {
        const res = await app.http().get('/v2/auth/profile').set(credential).set('workspace-id', workspaceId)
        expect(res.status).toBe(403)
        expect(res.body).toEqual(refusal(403))
      }
    }
    for (const headers of [{}, { 'api-key': 'ghp_unknown' }, { cookie: 'gatehouse_session=ghs_unknown' }]) {
      const res = await app.http().get('/v2/auth/profile').set(headers)
      expect(res.status).toBe(401)
      expect(res.body).toEqual(refusal(401))
    }
    // An expired cookie ("cookie expired"): 401.
    app.clock.advance(8 * 24 * 3600 * 1000)
    expect((await app.http().get('/v2/auth/profile').set('cookie', cookie)).status).toBe(401)
  })

  it('P13 POST /auth/tokens: 200 Token with its secret once, name required; P6, P5 without the secret; P1 200 the deleted token', async () => {
    const app = await start()
    const { cookie } = await app.signIn('eve-sub', 'eve@example.com')
    const created = await app.http().post('/v2/auth/tokens').set('cookie', cookie).send({ name: 'laptop' })
    expect(created.status).toBe(200)
    expect(created.body).toEqual(envelope({ id: expect.any(String), created_at: expect.any(String), last_used_at: null, token: expect.stringMatching(/^ghp_/) }))
    expect(created.headers['cache-control']).toBe('no-store')
    const { id, token } = created.body.result
    for (const body of [{}, { name: '' }, { name: 42 }]) {
      const bad = await app.http().post('/v2/auth/tokens').set('cookie', cookie).send(body)
      expect(bad.status).toBe(400)
      expect(bad.body).toEqual(refusal(400))
    }
    expect((await app.http().post('/v2/auth/tokens').send({ name: 'x' })).status).toBe(401)

    // The token works, and its use is recorded.
    expect((await app.http().get('/v2/auth/tokens').set('api-key', token)).status).toBe(200)
    const listed = await app.http().get('/v2/auth/tokens').set('cookie', cookie)
    expect(listed.body).toEqual(envelope([{ id, created_at: created.body.result.created_at, last_used_at: expect.any(String) }]))
    expect(JSON.stringify(listed.body)).not.toContain(token)
    const one = await app.http().get(`/v2/auth/tokens/${id}`).set('cookie', cookie)
    expect(one.body).toEqual(envelope(listed.body.result[0]))

    // Another user's token is 404 on P5 and P1.
    const other = await app.signIn('fay-sub', 'fay@example.com')
    expect((await app.http().get(`/v2/auth/tokens/${id}`).set('cookie', other.cookie)).body).toEqual(refusal(404))
    expect((await app.http().delete(`/v2/auth/tokens/${id}`).set('cookie', other.cookie)).status).toBe(404)
    // A token made with a token acts on the unsafe endpoints too.
    const child = await app.http().post('/v2/auth/tokens').set('api-key', token).send({ name: 'ci' })
    expect(child.status).toBe(200)

    const deleted = await app.http().delete(`/v2/auth/tokens/${id}`).set('cookie', cookie)
    expect(deleted.status).toBe(200)
    expect(deleted.body).toEqual(envelope(one.body.result))
    expect((await app.http().get('/v2/auth/tokens').set('api-key', token)).status).toBe(401)
    expect((await app.http().delete(`/v2/auth/tokens/${id}`).set('cookie', cookie)).status).toBe(404)
    for (const path of ['/v2/auth/tokens', `/v2/auth/tokens/${id}`]) expect((await app.http().get(path)).body).toEqual(refusal(401))
    expect((await app.http().delete(`/v2/auth/tokens/${id}`)).status).toBe(401)
  })

  it('P4 GET and P9 PATCH /auth/profile: stored fields, onboarded sets and clears onboarded_at, read-only fields 400', async () => {
    const app = await start()
    const { cookie, profile } = await app.signIn('gil-sub', 'gil@example.com')
    const got = await app.http().get('/v2/auth/profile').set('cookie', cookie)
    expect(got.body).toEqual(envelope(profile))
    const patched = await app.http().patch('/v2/auth/profile').set('cookie', cookie).send({ name: 'Gil', photo_url: 'https://img.example.com/gil.png', product_updates_subscribed: true, onboarded: true })
    expect(patched.status).toBe(200)
    expect(patched.body.result).toMatchObject({ name: 'Gil', photo_url: 'https://img.example.com/gil.png', product_updates_subscribed: true, onboarded_at: new Date(app.clock.now()).toISOString() })
    app.clock.advance(60_000)
    // Onboarded again keeps the first time; false clears it.
    expect((await app.http().patch('/v2/auth/profile').set('cookie', cookie).send({ onboarded: true })).body.result.onboarded_at).toBe(patched.body.result.onboarded_at)
    const cleared = await app.http().patch('/v2/auth/profile').set('cookie', cookie).send({ onboarded: false, photo_url: null })
    expect(cleared.body.result).toMatchObject({ onboarded_at: null, photo_url: null, name: 'Gil' })
    expect((await app.http().get('/v2/auth/profile').set('cookie', cookie)).body).toEqual(cleared.body)
    for (const body of [{ email: 'new@example.com' }, { id: 'x' }, { provider: 'x' }, { onboarded_at: 'now' }, { email_verified: true }, { photo_url: 'javascript:alert(1)' }, { onboarded: 'yes' }]) {
      const bad = await app.http().patch('/v2/auth/profile').set('cookie', cookie).send(body)
      expect(bad.status, JSON.stringify(body)).toBe(400)
      expect(bad.body).toEqual(refusal(400))
    }
    expect((await app.http().get('/v2/auth/profile')).body).toEqual(refusal(401))
    expect((await app.http().patch('/v2/auth/profile').send({ name: 'x' })).status).toBe(401)
  })

  it('P12 POST /auth/logout: always 200; the Profile and a cleared cookie with a session, null without', async () => {
    const app = await start()
    const { cookie, profile } = await app.signIn('hal-sub', 'hal@example.com')
    const out = await app.http().post('/v2/auth/logout').set('cookie', cookie)
    expect(out.status).toBe(200)
    expect(out.body).toEqual(envelope(profile))
    expect(String(out.headers['set-cookie'])).toMatch(/gatehouse_session=;/)
    expect((await app.http().get('/v2/auth/profile').set('cookie', cookie)).status).toBe(401)
    // An expired session signs out with result null, and its cookie is cleared all the same.
    const stale = await app.signIn('hal-sub', 'hal@example.com')
    app.clock.advance(8 * 24 * 3600 * 1000)
    const late = await app.http().post('/v2/auth/logout').set('cookie', stale.cookie)
    expect(late.body).toEqual(envelope(null))
    expect(String(late.headers['set-cookie'])).toMatch(/gatehouse_session=;/)
    for (const headers of [{}, { cookie }, { cookie: 'gatehouse_session=ghs_unknown' }]) {
      const again = await app.http().post('/v2/auth/logout').set(headers)
      expect(again.status).toBe(200)
      expect(again.body).toEqual(envelope(null))
    }
  })

  it('P8 GET /auth/profile/invites and P7 GET /auth/profile/invites/{token}: the caller\'s own pending invitations', async () => {
    const app = await start()
    const ida = await app.signIn('ida-sub', 'ida@example.com')
    const { token, workspace, owner, created } = await app.invite('IDA@example.com', 'admin')
    const invitation = {
      id: created.id,
      token,
      workspace_id: workspace.id,
      email: 'ida@example.com',
      role: 'admin',
      created_by_user_id: owner.profile.id,
      created_at: new Date(app.clock.now()).toISOString(),
      expires_at: new Date(app.clock.now() + 7 * 24 * 3600 * 1000).toISOString(),
    }
    expect((await app.http().get('/v2/auth/profile/invites').set('cookie', ida.cookie)).body).toEqual(envelope([invitation]))
    expect((await app.http().get(`/v2/auth/profile/invites/${token}`).set('cookie', ida.cookie)).body).toEqual(envelope(invitation))
    // Someone else's, unknown and expired: 404; no credentials 401.
    const jon = await app.signIn('jon-sub', 'jon@example.com')
    expect((await app.http().get('/v2/auth/profile/invites').set('cookie', jon.cookie)).body).toEqual(envelope([]))
    expect((await app.http().get(`/v2/auth/profile/invites/${token}`).set('cookie', jon.cookie)).body).toEqual(refusal(404))
    expect((await app.http().get('/v2/auth/profile/invites/ghi_unknown').set('cookie', ida.cookie)).status).toBe(404)
    for (const path of ['/v2/auth/profile/invites', `/v2/auth/profile/invites/${token}`]) expect((await app.http().get(path)).body).toEqual(refusal(401))
    app.clock.advance(7 * 24 * 3600 * 1000)
    const fresh = await app.signIn('ida-sub', 'ida@example.com')
    expect((await app.http().get(`/v2/auth/profile/invites/${token}`).set('cookie', fresh.cookie)).status).toBe(404)
    expect((await app.http().get('/v2/auth/profile/invites').set('cookie', fresh.cookie)).body).toEqual(envelope([]))
  })

  it('P10 POST /auth/profile/invites/{token}/accept: 200 WorkspaceMember with the invitation\'s role, once; 409 already a member; 404', async () => {
    const app = await start()
    const kim = await app.signIn('kim-sub', 'kim@example.com')
    const { token, workspace } = await app.invite('kim@example.com', 'admin')
    const other = await app.signIn('lee-sub', 'lee@example.com')
    expect((await app.http().post(`/v2/auth/profile/invites/${token}/accept`).set('cookie', other.cookie)).body).toEqual(refusal(404))
    const accepted = await app.http().post(`/v2/auth/profile/invites/${token}/accept`).set('cookie', kim.cookie)
    expect(accepted.status).toBe(200)
    const now = new Date(app.clock.now()).toISOString()
    expect(accepted.body).toEqual(
      envelope({
        workspace_id: workspace.id,
        user_id: kim.profile.id,
        role: 'admin',
        created_at: now,
        updated_at: now,
        user: { id: kim.profile.id, uid: 'kim-sub', email: 'kim@example.com', email_verified: true, name: 'kim-sub', photo_url: null, provider: 'google', default_template_id: null },
      }),
    )
    const profile = (await app.http().get('/v2/auth/profile').set('cookie', kim.cookie)).body.result
    expect(profile.default_workspace_id).toBe(workspace.id)
    expect(profile.user_workspaces).toEqual([{ workspace_id: workspace.id, workspace: { id: workspace.id, name: 'Lab' }, role: 'admin', created_at: now }])
    // The token is used up.
    expect((await app.http().post(`/v2/auth/profile/invites/${token}/accept`).set('cookie', kim.cookie)).status).toBe(404)
    // A second invitation to a workspace the user is in: 409.
    const second = await app.gate.invitations.create({ workspaceId: workspace.id, inviterId: kim.profile.id as string, email: 'kim@example.com' }).catch((error: { code?: string }) => error)
    expect((second as { code?: string }).code).toBe('ALREADY_MEMBER')
    const owned = await app.gate.workspaces.create({ name: 'Other lab', ownerId: other.profile.id as string })
    await app.gate.invitations.create({ workspaceId: owned.id, inviterId: other.profile.id as string, email: 'kim@example.com' })
    await app.gate.delivery.drain()
    const again = /ghi_[A-Za-z0-9_-]+/.exec(app.mailer.messages.at(-1)!.text)![0]
    await app.gate.workspaces.addMember({ workspaceId: owned.id, userId: kim.profile.id as string, role: 'member' })
    const conflict = await app.http().post(`/v2/auth/profile/invites/${again}/accept`).set('cookie', kim.cookie)
    expect(conflict.status).toBe(409)
    expect(conflict.body).toEqual(refusal(409))
    expect((await app.http().post('/v2/auth/profile/invites/ghi_unknown/accept').set('cookie', kim.cookie)).status).toBe(404)
    // An access token in api-key accepts too (PU-1: it authenticates every endpoint).
    const apiKey = (await app.http().post('/v2/auth/tokens').set('cookie', kim.cookie).send({ name: 'cli' })).body.result.token
    const third = await app.invite('kim@example.com')
    const byToken = await app.http().post(`/v2/auth/profile/invites/${third.token}/accept`).set('api-key', apiKey)
    expect(byToken.status).toBe(200)
    expect(byToken.body.result).toMatchObject({ role: 'member', user_id: kim.profile.id })
    expect((await app.http().post(`/v2/auth/profile/invites/${again}/accept`)).body).toEqual(refusal(401))
  })

  it('P2 DELETE /auth/profile/invites/{token}: 204 without a body; 404 someone else\'s, unknown or used; 401', async () => {
    const app = await start()
    const mia = await app.signIn('mia-sub', 'mia@example.com')
    const { token } = await app.invite('mia@example.com')
    const ned = await app.signIn('ned-sub', 'ned@example.com')
    expect((await app.http().delete(`/v2/auth/profile/invites/${token}`).set('cookie', ned.cookie)).body).toEqual(refusal(404))
    expect((await app.http().delete(`/v2/auth/profile/invites/${token}`)).body).toEqual(refusal(401))
    const declined = await app.http().delete(`/v2/auth/profile/invites/${token}`).set('cookie', mia.cookie)
    expect(declined.status).toBe(204)
    expect(declined.text).toBe('')
    expect((await app.http().delete(`/v2/auth/profile/invites/${token}`).set('cookie', mia.cookie)).status).toBe(404)
    expect((await app.http().get('/v2/auth/profile/invites').set('cookie', mia.cookie)).body).toEqual(envelope([]))
    const used = await app.invite('mia@example.com')
    expect((await app.http().post(`/v2/auth/profile/invites/${used.token}/accept`).set('cookie', mia.cookie)).status).toBe(200)
    expect((await app.http().delete(`/v2/auth/profile/invites/${used.token}`).set('cookie', mia.cookie)).status).toBe(404)
  })

  it('P3 GET /auth/canny-sso: an HS256 JWT with id, email, name and avatarURL, signed with the Canny key; 401', async () => {
    const app = await start()
    const { cookie, profile } = await app.signIn('oli-sub', 'oli@example.com')
    await app.http().patch('/v2/auth/profile').set('cookie', cookie).send({ name: 'Oli', photo_url: 'https://img.example.com/oli.png' })
    const res = await app.http().get('/v2/auth/canny-sso').set('cookie', cookie)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body.result)).toEqual(['token'])
    const { token } = res.body.result
    expect(decodeProtectedHeader(token).alg).toBe('HS256')
    const { payload } = await jwtVerify(token, new TextEncoder().encode(cannyKey), { currentDate: new Date(app.clock.now()) })
    expect(payload).toMatchObject({ id: profile.id, email: 'oli@example.com', name: 'Oli', avatarURL: 'https://img.example.com/oli.png' })
    // With an access token too.
    const apiKey = (await app.http().post('/v2/auth/tokens').set('cookie', cookie).send({ name: 'cli' })).body.result.token
    const viaKey = await app.http().get('/v2/auth/canny-sso').set('api-key', apiKey)
    expect(decodeJwt(viaKey.body.result.token).id).toBe(profile.id)
    // The audience is fixed: a query or path cannot pick another one.
    expect((await app.http().get('/v2/auth/canny-sso?audience=docs').set('cookie', cookie)).status).toBe(200)
    expect((await app.http().get('/v2/auth/canny-sso')).body).toEqual(refusal(401))
  })

  it('P14 POST /auth/unregister: 200 with an empty body and no password; user, sessions, tokens and memberships gone', async () => {
    const app = await start()
    const { cookie, profile } = await app.signIn('pat-sub', 'pat@example.com')
    const userId = profile.id as string
    const apiKey = (await app.http().post('/v2/auth/tokens').set('cookie', cookie).send({ name: 'cli' })).body.result.token
    const workspace = await app.gate.workspaces.create({ name: 'Pat lab', ownerId: userId })
    const other = await app.signIn('quin-sub', 'quin@example.com')
    const shared = await app.gate.workspaces.create({ name: 'Shared', ownerId: other.profile.id as string })
    await app.gate.workspaces.addMember({ workspaceId: shared.id, userId, role: 'member' })
    expect((await app.http().post('/v2/auth/unregister')).body).toEqual(refusal(401))
    const gone = await app.http().post('/v2/auth/unregister').set('api-key', apiKey)
    expect(gone.status).toBe(200)
    expect(gone.text).toBe('')
    expect(gone.headers['content-type']).toBeUndefined()
    expect(await app.gate.storage.users.getById(userId)).toBeNull()
    expect(await app.gate.storage.sessions.listByUser(userId)).toEqual([])
    expect(await app.gate.storage.tokens.listByUser(userId)).toEqual([])
    expect(await app.gate.storage.workspaces.listByUser(userId)).toEqual([])
    expect(await app.gate.storage.workspaces.getMember(workspace.id, userId)).toBeNull()
    expect((await app.http().get('/v2/auth/profile').set('cookie', cookie)).status).toBe(401)
    expect((await app.http().get('/v2/auth/profile').set('api-key', apiKey)).status).toBe(401)
    // Signing in again with the same identity makes a new account.
    const back = await app.signIn('pat-sub', 'pat@example.com')
    expect(back.profile.id).not.toBe(userId)
  })

  it('answers other paths with the error envelope', async () => {
    const app = await start()
    const res = await app.http().get('/v2/auth/nothing-here')
    expect(res.status).toBe(404)
    expect(res.body).toEqual(refusal(404))
  })
})

const pool = await openPostgresPool()

if (pool !== null) {
  describe('examples/pupil-cloud on PostgreSQL', () => {
    const schema = `gatehouse_pupil_${randomBytes(6).toString('hex')}`
    beforeAll(() => migrate(pool, { schema }))
    afterAll(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await pool.end()
    })

    it('keeps the profile fields, tokens and invitations in the database (migration 007)', async () => {
      const app = await start({ storage: postgresStorage(pool, { schema }) })
      const { cookie, profile } = await app.signIn('rue-sub', 'rue@example.com', { product_updates_subscribed: true })
      expect(profile.product_updates_subscribed).toBe(true)
      const patched = await app.http().patch('/v2/auth/profile').set('cookie', cookie).send({ photo_url: 'https://img.example.com/rue.png', onboarded: true })
      expect(patched.body.result).toMatchObject({ photo_url: 'https://img.example.com/rue.png', product_updates_subscribed: true, onboarded_at: new Date(app.clock.now()).toISOString() })
      const { rows } = await pool.query(`SELECT profile FROM "${schema}".gatehouse_users WHERE id = $1`, [profile.id])
      expect(rows[0].profile).toEqual({ photo_url: 'https://img.example.com/rue.png', product_updates_subscribed: true, onboarded_at: patched.body.result.onboarded_at })
      const token = (await app.http().post('/v2/auth/tokens').set('cookie', cookie).send({ name: 'db' })).body.result
      expect((await app.http().get('/v2/auth/profile').set('api-key', token.token)).body.result).toEqual(patched.body.result)
      const { token: invitation, workspace } = await app.invite('rue@example.com')
      expect((await app.http().post(`/v2/auth/profile/invites/${invitation}/accept`).set('api-key', token.token)).body.result.workspace_id).toBe(workspace.id)
      expect((await app.http().post(`/v2/auth/profile/invites/${invitation}/accept`).set('cookie', cookie)).status).toBe(404)
      expect((await app.http().post('/v2/auth/unregister').set('cookie', cookie)).status).toBe(200)
      expect(await app.gate.storage.users.getById(profile.id as string)).toBeNull()
    })
  })
}
