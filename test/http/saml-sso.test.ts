import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/index.js'
import { frameworks, sessionCookieOf } from '../support/example-apps.js'
import { createSamlHost, password, setsSession } from '../support/saml-apps.js'

describe.each(frameworks)('%s: SAML SSO, SP-initiated', (framework) => {
  it('signs a new user in through the IdP and lands on returnTo; the user joins the workspace as a member', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    expect(workspace.acsUrl).toBe(`http://app.test/auth/saml/acs/${workspace.workspaceId}`)
    expect(workspace.entityId).toBe(`http://app.test/auth/saml/metadata/${workspace.workspaceId}`)

    const login = await host.startLogin({ email: 'Ada@Corp.test', returnTo: '/projects?x=1' })
    expect(login.url.origin + login.url.pathname).toBe('https://idp.corp.test/sso')
    expect(login.xml).toContain(`AssertionConsumerServiceURL="${workspace.acsUrl}"`)
    expect(login.relayState).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(login.relayState).not.toContain('projects')

    const xml = host.signedResponse(host.responseFields(workspace, login.requestId, 'ada@corp.test'))
    const res = await host.postAcs(workspace, xml, { relayState: login.relayState })
    expect(res.status, res.text).toBe(303)
    expect(res.headers.location).toBe('http://app.test/projects?x=1')
    const cookie = sessionCookieOf(res.headers['set-cookie'])
    const me = await request(host.handler).get('/auth/session').set('Cookie', cookie)
    expect(me.status).toBe(200)
    expect(me.body.user).toMatchObject({ email: 'ada@corp.test', name: 'Ada Corp', emailVerified: false })
    expect(me.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['saml'])
    const workspaces = await request(host.handler).get('/auth/workspaces').set('Cookie', cookie)
    expect(workspaces.body).toEqual([{ id: workspace.workspaceId, name: 'Corp', role: 'member' }])

    // The request was used: the same response (and a fresh one for that request) gets nothing more.
    const again = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'ada@corp.test')), { relayState: login.relayState })
    expect(again.status).toBe(303)
    expect(again.headers.location).toBe('http://app.test/?error=SAML_RESPONSE_REJECTED')
    expect(setsSession(again.headers['set-cookie'])).toBe(false)

    // A second login by the same subject goes straight to the same user.
    const second = await host.startLogin({ workspaceId: workspace.workspaceId })
    const json = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, second.requestId, 'ada@corp.test'), 'response'), { relayState: second.relayState, json: true })
    expect(json.status, json.text).toBe(200)
    expect(json.body.user.id).toBe(me.body.user.id)
  })

  it('caps the session at SessionNotOnOrAfter', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ workspaceId: workspace.workspaceId })
    const sessionEnd = host.clock.now() + 3600_000
    const xml = host.signedResponse(host.responseFields(workspace, login.requestId, 'ada@corp.test', { sessionNotOnOrAfter: sessionEnd }))
    const res = await host.postAcs(workspace, xml, { relayState: login.relayState, json: true })
    expect(res.status, res.text).toBe(200)
    expect(res.body.session.expiresAt).toBe(new Date(sessionEnd).toISOString())
    const cookie = sessionCookieOf(res.headers['set-cookie'])
    host.clock.advance(3600_000)
    expect((await request(host.handler).get('/auth/session').set('Cookie', cookie)).status).toBe(401)
  })

  it('does not sign in an existing account with the same e-mail until ssoLink proves it', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const existing = await host.signUp('bob@corp.test')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ email: 'bob@corp.test' })
    const res = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'bob@corp.test')), { relayState: login.relayState })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/?error=SSO_LINK_REQUIRED')
    expect(setsSession(res.headers['set-cookie'])).toBe(false)
    const linkCookie = (res.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('gatehouse_sso_link='))!.split(';', 1)[0]!

    const wrong = await request(host.handler).post('/auth/sso/link').set('Cookie', linkCookie).send({ password: 'wrong password here' })
    expect(wrong.status).toBe(401)
    const none = await request(host.handler).post('/auth/sso/link').set('Cookie', linkCookie).send({})
    expect(none.status).toBe(401)
    const linked = await request(host.handler).post('/auth/sso/link').set('Cookie', linkCookie).send({ password })
    expect(linked.status, linked.text).toBe(200)
    expect(linked.body.user.id).toBe(existing.id)
    expect((await request(host.handler).post('/auth/sso/link').set('Cookie', linkCookie).send({ password })).status).toBe(401)

    const next = await host.startLogin({ email: 'bob@corp.test' })
    const signedIn = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, next.requestId, 'bob@corp.test')), { relayState: next.relayState, json: true })
    expect(signedIn.status, signedIn.text).toBe(200)
    expect(signedIn.body.user.id).toBe(existing.id)
  })

  it('links with the account own session as proof (Toggl: Basic works too)', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const existing = await host.signUp('bob@corp.test')
    const workspace = await host.configureWorkspace(owner.cookie)
    const login = await host.startLogin({ email: 'bob@corp.test' })
    const res = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'bob@corp.test')), { relayState: login.relayState, json: true })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('SSO_LINK_REQUIRED')
    const linkCookie = (res.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('gatehouse_sso_link='))!.split(';', 1)[0]!
    const foreign = await request(host.handler).post('/auth/sso/link').set('Cookie', `${linkCookie}; ${owner.cookie}`).send({})
    expect(foreign.status).toBe(401)
    const linked = await request(host.handler).post('/auth/sso/link').set('Cookie', `${linkCookie}; ${existing.cookie}`).send({})
    expect(linked.status, linked.text).toBe(200)
    expect(linked.body.user.id).toBe(existing.id)
  })

  it('refuses a new user outside the workspace domains, and logins for unknown or disabled workspaces', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    expect((await request(host.handler).get('/auth/saml/login').query({ email: 'x@elsewhere.test' })).status).toBe(404)
    expect((await request(host.handler).get('/auth/saml/login').query({ email: 'x@corp.test', returnTo: 'https://evil.test/' })).status).toBe(400)
    const login = await host.startLogin({ workspaceId: workspace.workspaceId })
    const outside = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, login.requestId, 'eve@elsewhere.test')), { relayState: login.relayState, json: true })
    expect(outside.status).toBe(403)
    expect(outside.body.error.code).toBe('SSO_SIGNUP_REFUSED')
    expect(setsSession(outside.headers['set-cookie'])).toBe(false)

    const pending = await host.startLogin({ workspaceId: workspace.workspaceId })
    const off = await request(host.handler).patch(`/auth/workspaces/${workspace.workspaceId}/sso`).set('Cookie', owner.cookie).send({ enabled: false })
    expect(off.status).toBe(200)
    expect(off.body).toEqual({ enabled: false })
    expect((await request(host.handler).get('/auth/saml/login').query({ email: 'x@corp.test' })).status).toBe(404)
    const disabled = await host.postAcs(workspace, host.signedResponse(host.responseFields(workspace, pending.requestId, 'ada@corp.test')), { relayState: pending.relayState, json: true })
    expect(disabled.status).toBe(404)
    expect(setsSession(disabled.headers['set-cookie'])).toBe(false)
  })

  it('serves SP metadata per workspace', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    const res = await request(host.handler).get(`/auth/saml/metadata/${workspace.workspaceId}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/samlmetadata+xml')
    expect(res.text).toContain(`entityID="${workspace.entityId}"`)
    expect(res.text).toContain(`Location="${workspace.acsUrl}"`)
    expect(res.text).toContain('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')
    expect((await request(host.handler).get('/auth/saml/metadata/nope')).status).toBe(404)
  })
})

describe.each(frameworks)('%s: SSO configuration routes', (framework) => {
  it('lets only workspace admins read and change the config; a domain belongs to one workspace', async () => {
    const host = await createSamlHost(framework)
    const owner = await host.signUp('owner@example.com')
    const member = await host.signUp('member@example.com')
    const workspace = await host.configureWorkspace(owner.cookie)
    await host.gate.workspaces.addMember({ workspaceId: workspace.workspaceId, userId: member.id, role: 'member' })
    const path = `/auth/workspaces/${workspace.workspaceId}/sso`

    const got = await request(host.handler).get(path).set('Cookie', owner.cookie)
    expect(got.status).toBe(200)
    expect(got.body).toEqual({
      config: {
        idpEntityId: workspace.idpEntityId,
        idpSsoUrl: 'https://idp.corp.test/sso',
        idpCertificates: [host.idp.certificate.trim()],
        domains: ['corp.test'],
        enabled: true,
        attributeMapping: { email: null, name: null },
        allowIdpInitiated: false,
        updatedAt: expect.any(String),
      },
      sp: { entityId: workspace.entityId, acsUrl: workspace.acsUrl, metadataUrl: workspace.entityId },
    })
    expect((await request(host.handler).get(path).set('Cookie', member.cookie)).status).toBe(403)
    expect((await request(host.handler).post(path).set('Cookie', member.cookie).send({})).status).toBe(403)
    expect((await request(host.handler).get(path)).status).toBe(401)
    const stranger = await host.signUp('stranger@example.com')
    expect((await request(host.handler).get(path).set('Cookie', stranger.cookie)).status).toBe(404)

    const base = { idpEntityId: 'x', idpSsoUrl: 'https://idp.test/sso', idpCertificates: [host.idp.certificate], domains: ['corp.test'] }
    for (const bad of [
      { ...base, idpCertificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] },
      { ...base, idpCertificates: [host.idp.privateKey] },
      { ...base, idpSsoUrl: 'javascript:alert(1)' },
      { ...base, idpSsoUrl: 'ftp://idp.test/sso' },
      { ...base, domains: ['not a domain'] },
    ]) {
      const res = await request(host.handler).post(path).set('Cookie', owner.cookie).send(bad)
      expect(res.status, JSON.stringify(bad.domains)).toBe(400)
      expect(res.body.error.code).toBe('INVALID_REQUEST')
    }

    const other = await host.signUp('other-owner@example.com')
    const otherWorkspace = await request(host.handler).post('/auth/workspaces').set('Cookie', other.cookie).send({ name: 'Other' })
    const clash = await request(host.handler).post(`/auth/workspaces/${otherWorkspace.body.id}/sso`).set('Cookie', other.cookie).send({ ...base, domains: ['Corp.Test'] })
    expect(clash.status).toBe(409)
    expect(clash.body.error.code).toBe('SSO_DOMAIN_TAKEN')

    // Rotation: the whole config is replaced, with two certificates.
    const replaced = await request(host.handler)
      .post(path)
      .set('Cookie', owner.cookie)
      .send({ ...base, idpCertificates: [host.stranger.certificate, host.idp.certificate], domains: ['corp.test', 'corp2.test'], allowIdpInitiated: true, attributeMapping: { name: 'displayName' } })
    expect(replaced.status).toBe(200)
    expect(replaced.body.config).toMatchObject({ idpEntityId: 'x', domains: ['corp.test', 'corp2.test'], allowIdpInitiated: true, attributeMapping: { email: null, name: 'displayName' } })

    expect((await request(host.handler).delete(path).set('Cookie', member.cookie)).status).toBe(403)
    expect((await request(host.handler).delete(path).set('Cookie', owner.cookie)).status).toBe(204)
    expect((await request(host.handler).get(path).set('Cookie', owner.cookie)).status).toBe(404)
    expect((await request(host.handler).patch(path).set('Cookie', owner.cookie).send({ enabled: true })).status).toBe(404)
    expect((await request(host.handler).delete(path).set('Cookie', owner.cookie)).status).toBe(404)
    // The domain is free again.
    expect((await request(host.handler).post(`/auth/workspaces/${otherWorkspace.body.id}/sso`).set('Cookie', other.cookie).send(base)).status).toBe(200)
  })
})

describe('SAML across processes and through the gate', () => {
  it('refuses an assertion replayed at another process sharing the stores, and sees config changes at once', async () => {
    const storage = memoryStorage()
    const first = await createSamlHost('express', { storage })
    const second = await createSamlHost('koa', { storage })
    const owner = await first.signUp('owner@example.com')
    const workspace = await first.configureWorkspace(owner.cookie, { allowIdpInitiated: true })
    const xml = first.signedResponse(first.responseFields(workspace, null, 'ada@corp.test'))
    expect((await first.postAcs(workspace, xml, { json: true })).status).toBe(200)
    const replay = await second.postAcs(workspace, xml, { json: true })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('SAML_REPLAYED')
    expect(setsSession(replay.headers['set-cookie'])).toBe(false)

    // A login started in one process is answered in the other; disabling in one counts in the other at once.
    const login = await first.startLogin({ email: 'ada@corp.test' })
    const answered = await second.postAcs(workspace, second.signedResponse(second.responseFields(workspace, login.requestId, 'ada@corp.test')), { json: true, relayState: login.relayState })
    expect(answered.status, answered.text).toBe(200)
    await request(first.handler).patch(`/auth/workspaces/${workspace.workspaceId}/sso`).set('Cookie', owner.cookie).send({ enabled: false })
    expect((await request(second.handler).get('/auth/saml/login').query({ email: 'ada@corp.test' })).status).toBe(404)
  })

  it('offers the same operations on the gate object', async () => {
    const host = await createSamlHost('express')
    const owner = await host.signUp('owner@example.com')
    const { id: workspaceId } = await host.gate.workspaces.create({ name: 'Corp', ownerId: owner.id })
    const sp = host.gate.saml.serviceProvider({ workspaceId })
    expect(sp).toEqual({ entityId: `http://app.test/auth/saml/metadata/${workspaceId}`, acsUrl: `http://app.test/auth/saml/acs/${workspaceId}`, metadataUrl: sp.entityId })
    const config = { idpEntityId: 'https://idp.corp.test', idpSsoUrl: 'https://idp.corp.test/sso', idpCertificates: [host.idp.certificate], domains: ['corp.test'] }
    await expect(host.gate.saml.saveConfig({ workspaceId, config: { ...config, idpCertificates: ['not a certificate'] } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' })
    expect((await host.gate.saml.saveConfig({ workspaceId, config })).sp).toEqual(sp)
    const { ssoUrl } = await host.gate.saml.loginUrl({ email: 'ada@corp.test' })
    expect(new URL(ssoUrl).searchParams.get('SAMLRequest')).not.toBeNull()
    const options = await request(host.handler).get('/auth/login-options')
    expect(options.body.saml).toBe(true)
  })
})
