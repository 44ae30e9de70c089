import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/index.js'
import { createCaptureMailer } from '../../src/testing/index.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { buildResponseXml } from '../support/saml-idp.js'
import { createSamlHost, password, setsSession } from '../support/saml-apps.js'

const basic = (user: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` })
const codeIn = (text: string) => /^([A-Za-z0-9_-]{43})$/m.exec(text)?.[1]

describe.each(frameworks)("%s: saml.linkConfirmation 'code'", (framework) => {
  async function setUp() {
    const mailer = createCaptureMailer()
    const host = await createSamlHost(framework, { delivery: { email: mailer }, saml: { linkConfirmation: 'code', loginPage: '/login' } })
    const owner = await host.signUp('owner@example.com')
    const bob = await host.signUp('bob@corp.test')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ email: 'bob@corp.test' })
    const res = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'bob@corp.test')), { relayState: login.relayState })
    return { host, mailer, owner, bob, workspace, res }
  }

  it('mails the existing account a single-use code instead of setting a cookie; ssoLink takes it with Basic credentials or the session', async () => {
    const { host, mailer, owner, bob, workspace, res } = await setUp()
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/login?error=SSO_LINK_REQUIRED')
    expect(res.headers['set-cookie']).toBeUndefined()
    const mail = mailer.last('bob@corp.test')!
    expect(mail).toMatchObject({ kind: 'sso_link_code', subject: 'Confirm single sign-on for app.test' })
    const code = codeIn(mail.text)!
    expect(mail.html).toContain(code)

    const link = (headers: Record<string, string>, body: object) => request(host.handler).post('/auth/sso/link').set(headers).send(body)
    expect((await link({}, { confirmationCode: code })).status).toBe(401)
    expect((await link({}, { confirmationCode: code, password })).status).toBe(401)
    expect((await link(basic('bob@corp.test', 'wrong password'), { confirmationCode: code })).status).toBe(401)
    // Another account's credentials do not take the code, nor use it up.
    expect((await link({ Cookie: owner.cookie }, { confirmationCode: code })).body.error.code).toBe('INVALID_CODE')
    expect((await link(basic('bob@corp.test', password), { confirmationCode: 'x'.repeat(43) })).body.error.code).toBe('INVALID_CODE')
    const missing = await link(basic('bob@corp.test', password), {})
    expect(missing.status).toBe(400)
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'confirmationCode' })])

    const linked = await link(basic('bob@corp.test', password), { confirmationCode: code })
    expect(linked.status, linked.text).toBe(200)
    expect(linked.body.user.id).toBe(bob.id)
    expect((await link({ Cookie: bob.cookie }, { confirmationCode: code })).status).toBe(401)

    const next = await host.startLogin({ email: 'bob@corp.test' })
    const signedIn = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, next.requestId, 'bob@corp.test')), { relayState: next.relayState })
    expect(signedIn.status).toBe(303)
    expect(setsSession(signedIn.headers['set-cookie'])).toBe(true)
    const workspaces = await request(host.handler).get('/auth/workspaces').set('Cookie', sessionCookieOf(signedIn.headers['set-cookie']))
    expect(workspaces.body.map((entry: { id: string }) => entry.id)).toContain(workspace.workspaceId)
  })

  it('is a ConfigError without a mailer to send the codes', () => {
    expect(() => createTestApp(framework, { saml: { linkConfirmation: 'code' } })).toThrow(ConfigError)
    expect(() => createTestApp(framework, { saml: { linkConfirmation: 'code' }, delivery: { email: createCaptureMailer() } })).not.toThrow()
  })

  it('takes the session as proof, keeps only the hash, and the code expires with linkLifetimeSeconds', async () => {
    const { host, mailer, bob } = await setUp()
    const code = codeIn(mailer.last('bob@corp.test')!.text)!
    const stored = await host.gate.storage.verifications.find('saml_link_code', bob.id, host.clock.now())
    expect(stored).not.toBeNull()
    expect(JSON.stringify(stored)).not.toContain(code)
    host.clock.advance(900 * 1000 + 1)
    const late = await request(host.handler).post('/auth/sso/link').set('Cookie', bob.cookie).send({ confirmationCode: code })
    expect(late.status).toBe(401)
    expect(late.body.error.code).toBe('INVALID_CODE')
  })
})

describe.each(frameworks)("%s: saml.acsFailure 'json'", (framework) => {
  it('answers a refused browser post with the JSON error and its status, never a redirect', async () => {
    const host = await createSamlHost(framework, { saml: { acsFailure: 'json' } })
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ email: 'ada@corp.test' })
    const unsigned = await host.postAcs(workspace, buildResponseXml(host.responseFields(workspace, login.requestId, 'ada@corp.test')), { relayState: login.relayState })
    expect(unsigned.status).toBe(401)
    expect(unsigned.body.error.code).toBe('SAML_SIGNATURE_INVALID')
    expect(unsigned.headers.location).toBeUndefined()
    const unknown = await host.postAcs('unknown-workspace', host.signedResponse(host.responseFields(workspace, null, 'ada@corp.test')))
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('NOT_FOUND')
    // A good response still lands on returnTo.
    const next = await host.startLogin({ email: 'ada@corp.test' })
    const ok = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, next.requestId, 'ada@corp.test')), { relayState: next.relayState })
    expect(ok.status).toBe(303)
  })

  it("keeps the redirect for SSO_LINK_REQUIRED: it is the flow's next step", async () => {
    const host = await createSamlHost(framework, { saml: { acsFailure: 'json' } })
    const owner = await host.signUp('owner@example.com')
    await host.signUp('bob@corp.test')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ email: 'bob@corp.test' })
    const res = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'bob@corp.test')), { relayState: login.relayState })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/?error=SSO_LINK_REQUIRED')
  })
})

describe.each(frameworks)('%s: SAML without the samlMetadata route', (framework) => {
  it('names the SP by its ACS URL and has no metadata URL', async () => {
    const host = await createSamlHost(framework, { disable: ['samlMetadata'] })
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    expect(workspace.entityId).toBe(workspace.acsUrl)
    const read = await request(host.handler).get(`/auth/workspaces/${workspace.workspaceId}/sso`).set('Cookie', owner.cookie)
    expect(read.body.sp).toEqual({ entityId: workspace.acsUrl, acsUrl: workspace.acsUrl, metadataUrl: null })
    const login = await host.startLogin({ email: 'ada@corp.test' })
    expect(/<(?:saml:)?Issuer[^>]*>([^<]+)<\/(?:saml:)?Issuer>/.exec(login.xml)?.[1]).toBe(workspace.acsUrl)
    const ok = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'ada@corp.test')), { relayState: login.relayState })
    expect(ok.status).toBe(303)
  })
})
