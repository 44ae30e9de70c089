import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../examples/toggl/app.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { fastHashing } from '../support/example-apps.js'
import { idpResponseFields, testIdpKeys } from '../support/saml-apps.js'
import { type ResponseFields, buildResponseXml, encodeResponse, readLoginRequest, signXml } from '../support/saml-idp.js'
import { openApiEndpointKeys, readSeedDocument, seedEndpointKeys, unservedEndpoints } from '../support/seed-endpoints.js'
import { tamperToken } from '../support/tamper-token.js'

const baseUrl = 'http://toggl.test'
const api = '/api/v9'
const password = 'correct horse battery'
const idpEntityId = 'https://idp.corp.test/metadata'

const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` })

function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const value = res.headers['set-cookie']
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
}

/** The live session cookie a response set ('name=value'), or undefined. */
function sessionCookieLine(res: { headers: Record<string, unknown> }): string | undefined {
  return setCookies(res).find((line) => line.startsWith('gatehouse_session=') && !line.startsWith('gatehouse_session=;'))
}

async function start() {
  const mailer = createCaptureMailer()
  const clock = createFixedClock()
  const app = await createApp({
    baseUrl,
    clock,
    delivery: { email: mailer },
    passwords: fastHashing,
    rateLimits: { signupPerIp: { max: 1000, windowSeconds: 60 } },
    logger: { error: () => {} },
  })
  const { idp, stranger } = testIdpKeys()

  /** T10, answered 200. */
  async function signUp(email: string, extra: Record<string, unknown> = {}) {
    const res = await request(app.listener).post(`${api}/signup`).send({ email, password, tos_accepted: true, ...extra })
    expect(res.status, res.text).toBe(200)
    return res.body as { id: number; default_workspace_id: number; api_token: string; email: string }
  }

  /** T11 on the owner's default workspace: corp.test signs in through the test IdP. */
  async function configureSso(owner: string, workspaceId: number, changes: Record<string, unknown> = {}) {
    const res = await request(app.listener)
      .post(`${api}/workspaces/${workspaceId}/sso`)
      .set(basic(owner, password))
      .send({ entity_id: idpEntityId, sso_url: 'https://idp.corp.test/sso', certificate: idp.certificate, domain: 'corp.test', enabled: true, ...changes })
    expect(res.status, res.text).toBe(200)
    const acsUrl = `${baseUrl}${api}/auth/saml2/login/${workspaceId}`
    return { workspaceId, idpEntityId, acsUrl, entityId: acsUrl, acsPath: new URL(acsUrl).pathname }
  }

  /** T2 for `email`: the AuthnRequest id and RelayState the IdP gets. */
  async function startLogin(query: Record<string, string>) {
    const res = await request(app.listener).get(`${api}/auth/saml2/login`).query(query)
    expect(res.status, res.text).toBe(200)
    return readLoginRequest(res.body.sso_url as string)
  }

  type Workspace = Awaited<ReturnType<typeof configureSso>>
  const fields = (workspace: Workspace, requestId: string | null, nameId: string, changes: Partial<ResponseFields> = {}) =>
    idpResponseFields(workspace, requestId, nameId, clock.now(), changes)
  const signed = (value: ResponseFields, keys = idp) => signXml(buildResponseXml(value), { keys })

  /** T9 as the IdP's auto-submitted form posts it, from the IdP's origin. */
  function postAcs(path: string, xml: string, relayState?: string | null) {
    const form: Record<string, string> = { SAMLResponse: encodeResponse(xml) }
    if (relayState !== undefined && relayState !== null) form.RelayState = relayState
    return request(app.listener).post(path).type('form').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').set('Origin', 'https://idp.corp.test').send(form)
  }

  return { ...app, mailer, clock, idp, stranger, signUp, configureSso, startLogin, fields, signed, postAcs }
}

describe('examples/toggl', () => {
  it('starts in under a second', async () => {
    const began = performance.now()
    await createApp({ baseUrl })
    expect(performance.now() - began).toBeLessThan(1000)
  })

  it("serves the seed's endpoint table exactly", async () => {
    const seed = readSeedDocument('000_f65944694ea0cc9c.txt')
    expect(seed.basePath).toBe(api)
    const app = await start()
    expect(openApiEndpointKeys(app.gate.openApi())).toEqual(seedEndpointKeys(seed))
    expect(await unservedEndpoints(app.listener, seed)).toEqual([])
  })

  it('T10 POST /signup: 200 ModelsTogglUser with integer ids, a default workspace and an API token, no cookie', async () => {
    const app = await start()
    const res = await request(app.listener)
      .post(`${api}/signup`)
      .send({ email: 'Ada@Example.com', password, tos_accepted: true, full_name: 'Ada Lovelace', country_id: 44, workspace: { name: 'Engines', initial_pricing_plan: 0 } })
    expect(res.status, res.text).toBe(200)
    expect(setCookies(res)).toEqual([])
    expect(res.body).toMatchObject({ email: 'ada@example.com', fullname: 'Ada Lovelace', timezone: 'UTC', country_id: 44, has_password: true, openid_enabled: false })
    expect(Number.isInteger(res.body.id)).toBe(true)
    expect(Number.isInteger(res.body.default_workspace_id)).toBe(true)
    expect(res.body.api_token).toMatch(/^ghp_/)
    expect(Object.keys(res.body).sort()).toEqual(
      ['api_token', 'at', 'beginning_of_week', 'country_id', 'created_at', 'default_workspace_id', 'email', 'fullname', 'has_password', 'id', 'image_url', 'openid_email', 'openid_enabled', 'options', 'timezone', 'updated_at'],
    )
    const workspace = await app.gate.workspaces.get({ workspaceId: String(res.body.default_workspace_id), userId: String(res.body.id) })
    expect(workspace).toMatchObject({ name: 'Engines', role: 'owner' })
    // The token it answered works at once, as Toggl's `<api_token>:api_token`.
    expect((await request(app.listener).post(`${api}/me/sessions`).set(basic(res.body.api_token, 'api_token'))).status).toBe(200)
    // The next user gets the next integers.
    const second = await app.signUp('bob@example.com')
    expect(second.id).toBe(res.body.id + 1)
    expect(second.default_workspace_id).toBe(res.body.default_workspace_id + 1)
  })

  it('T10 refuses terms not accepted, a bad body and a taken e-mail', async () => {
    const app = await start()
    const post = (body: unknown) => request(app.listener).post(`${api}/signup`).send(body as object)
    for (const tos of [false, undefined, 'true']) {
      const refused = await post({ email: 'ada@example.com', password, tos_accepted: tos })
      expect(refused.status, JSON.stringify(tos)).toBe(400)
      expect(refused.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'tos_accepted' }] })
    }
    expect((await post({ password, tos_accepted: true })).status).toBe(400)
    expect((await post({ email: 'not an e-mail', password, tos_accepted: true })).status).toBe(400)
    expect((await post({ email: 'ada@example.com', password: 'short', tos_accepted: true })).body.error.code).toBe('WEAK_PASSWORD')
    expect((await request(app.listener).post(`${api}/signup`).set('content-type', 'application/json').send('{"email":')).status).toBe(400)
    expect(await app.gate.storage.users.getByEmail('ada@example.com')).toBeNull()
    await app.signUp('ada@example.com')
    const taken = await post({ email: 'ada@example.com', password, tos_accepted: true })
    expect(taken.status).toBe(409)
  })

  it('T5 POST /me/sessions: Basic email:password, flat ModelsUser, a browser-session cookie unless remember_me', async () => {
    const app = await start()
    const user = await app.signUp('ada@example.com', { full_name: 'Ada' })
    const res = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password))
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({ id: user.id, email: 'ada@example.com', fullname: 'Ada', timezone: 'UTC' })
    const cookie = sessionCookieLine(res)!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Max-Age|Expires/i)

    const remembered = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password)).send({ remember_me: true })
    expect(remembered.status).toBe(200)
    expect(sessionCookieLine(remembered)).toMatch(/Max-Age=86400/)
    // The client's own ?cookie= changes nothing: the cookie follows remember_me, never a token in the body.
    const asked = await request(app.listener).post(`${api}/me/sessions?cookie=false`).set(basic('ada@example.com', password)).send({ remember_me: true })
    expect(sessionCookieLine(asked)).toMatch(/Max-Age=86400/)
    expect(asked.body.token).toBeUndefined()
    const forgotten = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password)).send({ remember_me: false })
    expect(sessionCookieLine(forgotten)).not.toMatch(/Max-Age|Expires/i)

    // The cookie authenticates later requests (T8 here).
    const reset = await request(app.listener).post(`${api}/me/reset_token`).set('Cookie', cookie.split(';', 1)[0]!)
    expect(reset.status, reset.text).toBe(200)
  })

  it('T5 with <api_token>:api_token answers the token as api_token; bad or missing credentials are 403, a bad remember_me 400', async () => {
    const app = await start()
    const user = await app.signUp('ada@example.com')
    const withToken = await request(app.listener).post(`${api}/me/sessions`).set(basic(user.api_token, 'api_token'))
    expect(withToken.status).toBe(200)
    expect(withToken.body).toEqual({ id: user.id, email: 'ada@example.com', fullname: '', timezone: 'UTC', api_token: user.api_token })
    expect(sessionCookieLine(withToken)).toBeDefined()

    for (const headers of [{}, basic('ada@example.com', 'wrong password'), basic('nobody@example.com', password), basic('ghp_unknown', 'api_token'), { authorization: 'Bearer ghp_x' }]) {
      const refused = await request(app.listener).post(`${api}/me/sessions`).set(headers)
      expect(refused.status, JSON.stringify(headers)).toBe(403)
      expect(sessionCookieLine(refused)).toBeUndefined()
    }
    // gatehouse's own JSON login is not Toggl's: without Basic there are no credentials.
    const json = await request(app.listener).post(`${api}/me/sessions`).send({ email: 'ada@example.com', password })
    expect(json.status).toBe(403)
    const badFlag = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password)).send({ remember_me: 'yes' })
    expect(badFlag.status).toBe(400)
    expect(badFlag.body.error.details).toEqual([{ path: 'remember_me', message: 'must be a boolean' }])
  })

  it('T4 DELETE /me/sessions: 200 with an empty body, the session ends and the cookie is cleared; 403 without a session', async () => {
    const app = await start()
    await app.signUp('ada@example.com')
    const login = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password))
    const cookie = sessionCookieLine(login)!.split(';', 1)[0]!
    const res = await request(app.listener).delete(`${api}/me/sessions`).set('Cookie', cookie)
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(setCookies(res).some((line) => line.startsWith('gatehouse_session=;'))).toBe(true)
    const after = await request(app.listener).post(`${api}/me/reset_token`).set('Cookie', cookie)
    expect(after.status).toBe(403)
    const none = await request(app.listener).delete(`${api}/me/sessions`)
    expect(none.status).toBe(403)
    // The dead cookie again is a failed credential: 403, and it is cleared once more.
    const again = await request(app.listener).delete(`${api}/me/sessions`).set('Cookie', cookie)
    expect(again.status).toBe(403)
    expect(setCookies(again).some((line) => line.startsWith('gatehouse_session=;'))).toBe(true)
    // Basic credentials are accepted too (there is no session of theirs to end); wrong ones are 403.
    expect((await request(app.listener).delete(`${api}/me/sessions`).set(basic('ada@example.com', password))).status).toBe(200)
    expect((await request(app.listener).delete(`${api}/me/sessions`).set(basic('ada@example.com', 'wrong password'))).status).toBe(403)
  })

  it('T8 POST /me/reset_token: the new token as a bare JSON string; the old one stops at once, sessions stay', async () => {
    const app = await start()
    const user = await app.signUp('ada@example.com')
    const login = await request(app.listener).post(`${api}/me/sessions`).set(basic('ada@example.com', password))
    const cookie = sessionCookieLine(login)!.split(';', 1)[0]!

    const res = await request(app.listener).post(`${api}/me/reset_token`).set(basic(user.api_token, 'api_token'))
    expect(res.status, res.text).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const token = JSON.parse(res.text) as string
    expect(token).toMatch(/^ghp_/)
    expect(token).not.toBe(user.api_token)
    expect((await request(app.listener).post(`${api}/me/reset_token`).set(basic(user.api_token, 'api_token'))).status).toBe(403)
    expect((await request(app.listener).post(`${api}/me/sessions`).set(basic(user.api_token, 'api_token'))).status).toBe(403)
    expect((await request(app.listener).post(`${api}/me/sessions`).set(basic(token, 'api_token'))).body.api_token).toBe(token)
    // Basic email:password and the session made before the reset work too.
    expect((await request(app.listener).post(`${api}/me/reset_token`).set(basic('ada@example.com', password))).status).toBe(200)
    expect((await request(app.listener).post(`${api}/me/reset_token`).set('Cookie', cookie)).status).toBe(200)
    for (const headers of [{}, basic('ada@example.com', 'wrong password'), basic('ghp_unknown', 'api_token')]) {
      expect((await request(app.listener).post(`${api}/me/reset_token`).set(headers)).status).toBe(403)
    }
  })

  it('T11, T3, T6, T1 /workspaces/{workspace_id}/sso: save, read, disable, erase', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const path = `${api}/workspaces/${owner.default_workspace_id}/sso`
    const auth = basic('owner@example.com', password)
    expect((await request(app.listener).get(path).set(auth)).status).toBe(404)

    const saved = await request(app.listener)
      .post(path)
      .set(auth)
      .send({ entity_id: idpEntityId, sso_url: 'https://idp.corp.test/sso', certificate: app.idp.certificate, domain: 'Corp.test', enabled: true, name: 'Corp IdP' })
    expect(saved.status, saved.text).toBe(200)
    expect(saved.body).toEqual({ certificate: app.idp.certificate.trim(), domain: 'corp.test', enabled: true, entity_id: idpEntityId, sso_url: 'https://idp.corp.test/sso' })

    const read = await request(app.listener).get(path).set(auth)
    expect(read.status).toBe(200)
    const acsUrl = `${baseUrl}${api}/auth/saml2/login/${owner.default_workspace_id}`
    expect(read.body).toEqual({ config: saved.body, sp_settings: { acs_url: acsUrl, entity_id: acsUrl } })

    // T11 replaces the whole config (an upsert).
    const replaced = await request(app.listener).post(path).set(auth).send({ entity_id: 'https://idp2.corp.test', sso_url: 'https://idp2.corp.test/sso', certificate: app.idp.certificate, domain: 'corp.test' })
    expect(replaced.body).toMatchObject({ entity_id: 'https://idp2.corp.test', enabled: true })

    const off = await request(app.listener).patch(path).set(auth).send({ enabled: false })
    expect(off.status).toBe(200)
    expect(off.body).toEqual({ enabled: false })
    expect((await request(app.listener).get(path).set(auth)).body.config).toMatchObject({ enabled: false, entity_id: 'https://idp2.corp.test' })
    expect((await request(app.listener).get(`${api}/auth/saml2/login`).query({ email: 'ada@corp.test' })).status).toBe(404)
    expect((await request(app.listener).patch(path).set(auth).send({ enabled: true })).body).toEqual({ enabled: true })

    const erased = await request(app.listener).delete(path).set(auth)
    expect(erased.status).toBe(200)
    expect(erased.headers['content-type']).toMatch(/^application\/json/)
    expect(erased.body).toBe('OK')
    expect((await request(app.listener).get(path).set(auth)).status).toBe(404)
    expect((await request(app.listener).delete(path).set(auth)).status).toBe(404)
    expect((await request(app.listener).patch(path).set(auth).send({ enabled: true })).status).toBe(404)
  })

  it('the SSO config routes: 400 for a non-integer id or a bad body, 404 for an unknown workspace, 403 for non-admins and missing credentials, 409 for a taken domain', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const member = await app.signUp('member@example.com')
    const outsider = await app.signUp('outsider@example.com')
    await app.gate.workspaces.addMember({ workspaceId: String(owner.default_workspace_id), userId: String(member.id), role: 'member' })
    const path = `${api}/workspaces/${owner.default_workspace_id}/sso`
    const auth = basic('owner@example.com', password)
    const body = { entity_id: idpEntityId, sso_url: 'https://idp.corp.test/sso', certificate: app.idp.certificate, domain: 'corp.test' }

    for (const id of ['abc', '1.5', '-1', '0', '01', '1e3', '9999999999999999']) {
      for (const method of ['get', 'post', 'patch', 'delete'] as const) {
        const res = await request(app.listener)[method](`${api}/workspaces/${id}/sso`).set(auth).send({})
        expect(res.status, `${method} ${id}`).toBe(400)
        expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'workspaceId' }] })
      }
      expect((await app.postAcs(`${api}/auth/saml2/login/${id}`, '<x/>')).status).toBe(400)
    }
    expect((await request(app.listener).get(`${api}/workspaces/987654/sso`).set(auth)).status).toBe(404)
    for (const headers of [basic('member@example.com', password), basic('outsider@example.com', password), {}, basic('owner@example.com', 'wrong password')]) {
      for (const method of ['get', 'post', 'patch', 'delete'] as const) {
        const res = await request(app.listener)[method](path).set(headers).send(body)
        expect(res.status, `${method} ${JSON.stringify(headers)}`).toBe(403)
      }
    }
    expect(outsider.id).toBeGreaterThan(0)

    for (const bad of [{ ...body, certificate: 'not a certificate' }, { ...body, sso_url: 'ftp://idp.corp.test' }, { ...body, domain: 'not a domain' }, { ...body, entity_id: undefined }, { ...body, domain: 7 }]) {
      const res = await request(app.listener).post(path).set(auth).send(bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
    }
    expect((await request(app.listener).patch(path).set(auth).send({ enabled: 'no' })).status).toBe(400)
    expect((await request(app.listener).post(path).set(auth).send(body)).status).toBe(200)
    const taken = await request(app.listener).post(`${api}/workspaces/${member.default_workspace_id}/sso`).set(basic('member@example.com', password)).send(body)
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('SSO_DOMAIN_TAKEN')
  })

  it('T2 GET /auth/saml2/login: { sso_url } for the e-mail domain; 400 without or with a bad e-mail or a long client, 404 without an enabled config', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    await app.configureSso('owner@example.com', owner.default_workspace_id)
    const res = await request(app.listener).get(`${api}/auth/saml2/login`).query({ email: 'Ada@Corp.test', client: 'webapp', state: 'abc' })
    expect(res.status, res.text).toBe(200)
    expect(Object.keys(res.body)).toEqual(['sso_url'])
    const login = readLoginRequest(res.body.sso_url)
    expect(login.url.origin + login.url.pathname).toBe('https://idp.corp.test/sso')
    expect(login.xml).toContain(`AssertionConsumerServiceURL="${baseUrl}${api}/auth/saml2/login/${owner.default_workspace_id}"`)
    // RelayState is an opaque reference (decision 2): neither the client nor the state is in it.
    expect(login.relayState).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const get = (query: Record<string, string>) => request(app.listener).get(`${api}/auth/saml2/login`).query(query)
    expect((await get({})).status).toBe(400)
    expect((await get({ email: 'not an e-mail' })).status).toBe(400)
    expect((await get({ email: 'ada@corp.test', client: 'x'.repeat(65) })).status).toBe(400)
    expect((await get({ email: 'ada@corp.test', client: 'x'.repeat(64) })).status).toBe(200)
    expect((await get({ email: 'ada@elsewhere.test' })).status).toBe(404)
    expect((await get({ workspaceId: String(owner.default_workspace_id) })).status).toBe(400)
  })

  it('T9 POST /auth/saml2/login/{workspace_id}: a new user at the domain signs in, 303 to the client page with the state and a session cookie', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const workspace = await app.configureSso('owner@example.com', owner.default_workspace_id)
    const login = await app.startLogin({ email: 'ada@corp.test', client: 'webapp', state: 'x y' })
    const res = await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, login.requestId, 'ada@corp.test')), login.relayState)
    expect(res.status, res.text).toBe(303)
    expect(res.headers.location).toBe(`${baseUrl}/timer?state=x+y`)
    const cookie = sessionCookieLine(res)!.split(';', 1)[0]!
    const reset = await request(app.listener).post(`${api}/me/reset_token`).set('Cookie', cookie)
    expect(reset.status).toBe(200)
    const ada = await app.gate.storage.users.getByEmail('ada@corp.test')
    expect(ada).toMatchObject({ name: 'Ada Corp' })
    expect(await app.gate.workspaces.get({ workspaceId: String(owner.default_workspace_id), userId: ada!.id })).toMatchObject({ role: 'member' })

    // A program posting with Accept: application/json gets ModelsUser and the cookie instead of the redirect.
    const program = await app.startLogin({ email: 'carl@corp.test' })
    const json = await request(app.listener)
      .post(workspace.acsPath)
      .type('form')
      .set('Accept', 'application/json')
      .send({ SAMLResponse: encodeResponse(app.signed(app.fields(workspace, program.requestId, 'carl@corp.test'))), RelayState: program.relayState! })
    expect(json.status, json.text).toBe(200)
    expect(json.body).toEqual({ id: expect.any(Number), email: 'carl@corp.test', fullname: 'Ada Corp', timezone: 'UTC' })
    expect(sessionCookieLine(json)).toBeDefined()

    // An unknown client lands on '/'.
    const other = await app.startLogin({ email: 'eve@corp.test', client: 'something else' })
    const landed = await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, other.requestId, 'eve@corp.test')), other.relayState)
    expect(landed.headers.location).toBe(`${baseUrl}/`)
  })

  it('T9 answers a refused response 403 with an error body, never a session; 404 without an enabled config', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const workspace = await app.configureSso('owner@example.com', owner.default_workspace_id)
    const refused = async (xml: string, relayState: string | null, code: string) => {
      const res = await app.postAcs(workspace.acsPath, xml, relayState)
      expect(res.status, `${code}: ${res.text}`).toBe(403)
      expect(res.body.error.code).toBe(code)
      expect(res.headers.location).toBeUndefined()
      expect(sessionCookieLine(res)).toBeUndefined()
    }
    const attempt = async () => app.startLogin({ email: 'ada@corp.test' })

    let login = await attempt()
    await refused(buildResponseXml(app.fields(workspace, login.requestId, 'ada@corp.test')), login.relayState, 'SAML_SIGNATURE_INVALID')
    login = await attempt()
    await refused(app.signed(app.fields(workspace, login.requestId, 'ada@corp.test'), app.stranger), login.relayState, 'SAML_SIGNATURE_INVALID')
    login = await attempt()
    await refused(app.signed(app.fields(workspace, login.requestId, 'ada@corp.test', { audience: 'https://other.test/sp' })), login.relayState, 'SAML_RESPONSE_REJECTED')
    login = await attempt()
    const now = app.clock.now()
    await refused(app.signed(app.fields(workspace, login.requestId, 'ada@corp.test', { notOnOrAfter: now - 120_000, confirmationNotOnOrAfter: now - 120_000 })), login.relayState, 'SAML_RESPONSE_EXPIRED')
    // A tampered RelayState never redirects, on or off the app's origin.
    login = await attempt()
    await refused(app.signed(app.fields(workspace, login.requestId, 'ada@corp.test')), 'https://evil.test/', 'SAML_RESPONSE_REJECTED')

    login = await attempt()
    const xml = app.signed(app.fields(workspace, login.requestId, 'ada@corp.test'))
    expect((await app.postAcs(workspace.acsPath, xml, login.relayState)).status).toBe(303)
    await refused(xml, login.relayState, 'SAML_REPLAYED')

    const malformed = await app.postAcs(workspace.acsPath, '<not-saml')
    expect(malformed.status).toBe(400)
    const missing = await request(app.listener).post(workspace.acsPath).type('form').send({ RelayState: 'x' })
    expect(missing.status).toBe(400)
    const unknown = await app.postAcs(`${api}/auth/saml2/login/424242`, xml, login.relayState)
    expect(unknown.status).toBe(404)
    login = await attempt()
    await request(app.listener).patch(`${api}/workspaces/${owner.default_workspace_id}/sso`).set(basic('owner@example.com', password)).send({ enabled: false })
    const disabled = await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, login.requestId, 'ada@corp.test')), login.relayState)
    expect(disabled.status).toBe(404)
    expect(sessionCookieLine(disabled)).toBeUndefined()
  })

  it('T7 POST /me/enable_sso: an existing account confirms SSO with the mailed code under Basic, "OK"; later SSO logins go straight through', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const bob = await app.signUp('bob@corp.test')
    const workspace = await app.configureSso('owner@example.com', owner.default_workspace_id)
    const login = await app.startLogin({ email: 'bob@corp.test', client: 'webapp' })
    const res = await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, login.requestId, 'bob@corp.test')), login.relayState)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe(`${baseUrl}/login?error=SSO_LINK_REQUIRED`)
    expect(setCookies(res)).toEqual([])
    const mail = app.mailer.last('bob@corp.test')!
    expect(mail.kind).toBe('sso_link_code')
    const code = /^([A-Za-z0-9_-]{43})$/m.exec(mail.text)![1]!

    const enable = (headers: Record<string, string>, body: unknown) => request(app.listener).post(`${api}/me/enable_sso`).set(headers).send(body as object)
    const bobAuth = basic('bob@corp.test', password)
    expect((await enable({}, { confirmation_code: code })).status).toBe(403)
    expect((await enable(basic('bob@corp.test', 'wrong password'), { confirmation_code: code })).status).toBe(403)
    // The code is the account's: the owner's own credentials do not take it.
    expect((await enable(basic('owner@example.com', password), { confirmation_code: code })).status).toBe(400)
    const wrong = await enable(bobAuth, { confirmation_code: tamperToken(code) })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('INVALID_CODE')
    expect((await enable(bobAuth, {})).status).toBe(400)
    expect((await enable(bobAuth, { confirmation_code: 7 })).status).toBe(400)

    // The account's session is proof too: a wrong code under it is 400 (the code was looked at), not 403.
    const session = await request(app.listener).post(`${api}/me/sessions`).set(bobAuth)
    const sessionCookie = sessionCookieLine(session)!.split(';', 1)[0]!
    expect((await enable({ Cookie: sessionCookie }, { confirmation_code: 'y'.repeat(43) })).status).toBe(400)

    const ok = await enable(bobAuth, { confirmation_code: code })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.headers['content-type']).toMatch(/^application\/json/)
    expect(ok.body).toBe('OK')
    expect((await enable(bobAuth, { confirmation_code: code })).status).toBe(400)
    expect(await app.gate.workspaces.get({ workspaceId: String(owner.default_workspace_id), userId: String(bob.id) })).toMatchObject({ role: 'member' })

    const next = await app.startLogin({ email: 'bob@corp.test' })
    const signedIn = await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, next.requestId, 'bob@corp.test')), next.relayState)
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.location).toBe(`${baseUrl}/`)
    expect(sessionCookieLine(signedIn)).toBeDefined()
  })

  it('T7: a code older than 15 minutes is 400, and only its hash is stored', async () => {
    const app = await start()
    const owner = await app.signUp('owner@example.com')
    const bob = await app.signUp('bob@corp.test')
    const workspace = await app.configureSso('owner@example.com', owner.default_workspace_id)
    const login = await app.startLogin({ email: 'bob@corp.test' })
    await app.postAcs(workspace.acsPath, app.signed(app.fields(workspace, login.requestId, 'bob@corp.test')), login.relayState)
    const code = /^([A-Za-z0-9_-]{43})$/m.exec(app.mailer.last('bob@corp.test')!.text)![1]!
    const stored = await app.gate.storage.verifications.find('saml_link_code', String(bob.id), app.clock.now())
    expect(stored).not.toBeNull()
    expect(JSON.stringify(stored)).not.toContain(code)
    expect(stored!.expiresAt - app.clock.now()).toBe(15 * 60 * 1000)

    app.clock.advance(15 * 60 * 1000 + 1)
    const late = await request(app.listener).post(`${api}/me/enable_sso`).set(basic('bob@corp.test', password)).send({ confirmation_code: code })
    expect(late.status).toBe(400)
  })
})
