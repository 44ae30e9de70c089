import request from 'supertest'
import { expect } from 'vitest'
import type { GatehouseOptions } from '../../src/index.js'
import { type Framework, createTestApp, sessionCookieOf } from './example-apps.js'
import { mountHost } from './mount-host.js'
import { type ResponseFields, type TestKeyPair, buildResponseXml, emailFormat, encodeResponse, generateKeyPair, readLoginRequest, signXml } from './saml-idp.js'

export const password = 'correct horse battery'

// One IdP key (and one stranger's) per test run: openssl takes a while.
let idpKeys: TestKeyPair | undefined
let strangerKeys: TestKeyPair | undefined
export function testIdpKeys(): { idp: TestKeyPair; stranger: TestKeyPair } {
  idpKeys ??= generateKeyPair('idp')
  strangerKeys ??= generateKeyPair('stranger')
  return { idp: idpKeys, stranger: strangerKeys }
}

export interface SsoWorkspace {
  workspaceId: string
  idpEntityId: string
  acsUrl: string
  entityId: string
  acsPath: string
}

/** What a well-behaved IdP answers at `now` to `requestId` for `nameId`, sent to the workspace's ACS. */
export function idpResponseFields(
  workspace: Pick<SsoWorkspace, 'idpEntityId' | 'acsUrl' | 'entityId'>,
  requestId: string | null,
  nameId: string,
  now: number,
  changes: Partial<ResponseFields> = {},
): ResponseFields {
  return {
    responseId: `_r${Math.random().toString(16).slice(2)}`,
    assertionId: `_a${Math.random().toString(16).slice(2)}`,
    responseIssuer: workspace.idpEntityId,
    issuer: workspace.idpEntityId,
    destination: workspace.acsUrl,
    inResponseTo: requestId,
    recipient: workspace.acsUrl,
    audience: workspace.entityId,
    nameId,
    nameIdFormat: emailFormat,
    now,
    notBefore: now - 30_000,
    notOnOrAfter: now + 300_000,
    confirmationNotOnOrAfter: now + 300_000,
    sessionNotOnOrAfter: null,
    attributes: { name: 'Ada Corp' },
    status: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    ...changes,
  }
}

/** A gatehouse on `framework` with an owner who configured SAML SSO for corp.test in a new workspace. */
export async function createSamlHost(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const app = createTestApp(framework, { rateLimits: { signupPerIp: { max: 1000, windowSeconds: 60 } }, ...overrides })
  const handler = mountHost(framework, app.gate)
  const { idp, stranger } = testIdpKeys()

  async function signUp(email: string) {
    const res = await request(handler).post('/auth/signup').send({ email, password })
    expect(res.status).toBe(201)
    return { cookie: sessionCookieOf(res.headers['set-cookie']), id: res.body.user.id as string }
  }

  async function configureWorkspace(ownerCookie: string, config: Record<string, unknown> = {}): Promise<SsoWorkspace> {
    const created = await request(handler).post('/auth/workspaces').set('Cookie', ownerCookie).send({ name: 'Corp' })
    expect(created.status).toBe(201)
    const workspaceId = created.body.id as string
    const idpEntityId = 'https://idp.corp.test/metadata'
    const res = await request(handler)
      .post(`/auth/workspaces/${workspaceId}/sso`)
      .set('Cookie', ownerCookie)
      .send({ idpEntityId, idpSsoUrl: 'https://idp.corp.test/sso', idpCertificates: [idp.certificate], domains: ['corp.test'], ...config })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return { workspaceId, idpEntityId, acsUrl: res.body.sp.acsUrl, entityId: res.body.sp.entityId, acsPath: new URL(res.body.sp.acsUrl).pathname }
  }

  /** Starts an SP-initiated login: the request id and RelayState the IdP would get. */
  async function startLogin(query: Record<string, string>) {
    const res = await request(handler).get('/auth/saml/login').query(query)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return readLoginRequest(res.body.ssoUrl as string)
  }

  /** What a well-behaved IdP answers to `requestId` for `nameId` now. */
  function responseFields(workspace: SsoWorkspace, requestId: string | null, nameId: string, changes: Partial<ResponseFields> = {}): ResponseFields {
    return idpResponseFields(workspace, requestId, nameId, app.clock.now(), changes)
  }

  function signedResponse(fields: ResponseFields, target: 'assertion' | 'response' = 'assertion'): string {
    return signXml(buildResponseXml(fields), { keys: idp, target })
  }

  /** Posts a response to the ACS as the IdP's auto-submitted form would (or as a program, with `json`). */
  function postAcs(workspace: SsoWorkspace | string, xml: string, options: { relayState?: string | null; json?: boolean; raw?: string } = {}) {
    const path = typeof workspace === 'string' ? `/auth/saml/acs/${workspace}` : workspace.acsPath
    const form: Record<string, string> = { SAMLResponse: options.raw ?? encodeResponse(xml) }
    if (options.relayState !== undefined && options.relayState !== null) form.RelayState = options.relayState
    return request(handler)
      .post(path)
      .type('form')
      .set('Accept', options.json === true ? 'application/json' : 'text/html,application/xhtml+xml,*/*;q=0.8')
      .set('Origin', 'https://idp.corp.test')
      .send(form)
  }

  return { ...app, handler, idp, stranger, signUp, configureWorkspace, startLogin, responseFields, signedResponse, postAcs }
}

export type SamlHost = Awaited<ReturnType<typeof createSamlHost>>

/** Whether a response set a session cookie. */
export function setsSession(setCookie: string[] | string | undefined): boolean {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]
  return all.some((line) => line.includes('gatehouse_session=') && !line.startsWith('gatehouse_session=;'))
}
