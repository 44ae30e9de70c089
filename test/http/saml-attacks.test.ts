import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { frameworks } from '../support/example-apps.js'
import { type SamlHost, type SsoWorkspace, createSamlHost, setsSession } from '../support/saml-apps.js'
import { buildResponseXml, encodeResponse, signXml } from '../support/saml-idp.js'

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const victim = 'ada@corp.test'
const attacker = 'boss@corp.test'

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml')
}
const serialize = (node: Node) => new XMLSerializer().serializeToString(node)
const childNamed = (parent: Element, namespace: string, localName: string) =>
  [...Array.from(parent.childNodes)].find((node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName)!

/** A copy of `element` that says the attacker's NameID, under a new ID, without a signature unless `keepSignature`. */
function evilCopy(element: Element, keepSignature = false): Element {
  const copy = element.cloneNode(true) as Element
  copy.setAttribute('ID', `_evil${Math.random().toString(16).slice(2)}`)
  if (!keepSignature) for (const signature of Array.from(copy.getElementsByTagNameNS(DS, 'Signature'))) signature.parentNode!.removeChild(signature)
  for (const nameId of Array.from(copy.getElementsByTagNameNS(SAML, 'NameID'))) nameId.textContent = attacker
  return copy
}

function withoutSignature(element: Element): Element {
  const copy = element.cloneNode(true) as Element
  for (const signature of Array.from(copy.getElementsByTagNameNS(DS, 'Signature'))) if (signature.parentNode === copy) copy.removeChild(signature)
  return copy
}

/** The eight signature-wrapping shapes of "On Breaking SAML" (Somorovsky et al.), built from a validly signed response. */
const wrappings: Record<string, { signed: 'response' | 'assertion'; wrap: (document: Document) => Document }> = {
  XSW1: {
    signed: 'response',
    wrap(document) {
      // An evil Response whose (copied) signature holds the original signed Response.
      const original = document.documentElement
      const evil = evilCopy(original)
      const signature = childNamed(original, DS, 'Signature').cloneNode(true) as Element
      signature.appendChild(original.cloneNode(true))
      evil.insertBefore(signature, childNamed(evil, SAML, 'Assertion'))
      return parse(serialize(evil))
    },
  },
  XSW2: {
    signed: 'response',
    wrap(document) {
      // As XSW1, the original Response detached beside the signature instead of inside it.
      const original = document.documentElement
      const evil = evilCopy(original)
      const signature = childNamed(original, DS, 'Signature').cloneNode(true) as Element
      evil.insertBefore(original.cloneNode(true), childNamed(evil, SAML, 'Assertion'))
      evil.insertBefore(signature, childNamed(evil, SAML, 'Assertion'))
      return parse(serialize(evil))
    },
  },
  XSW3: {
    signed: 'assertion',
    wrap(document) {
      // An evil Assertion before the signed one, as its sibling.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      response.insertBefore(evilCopy(assertion), assertion)
      return document
    },
  },
  XSW4: {
    signed: 'assertion',
    wrap(document) {
      // The evil Assertion takes the signed one's place and holds it as a child.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      const evil = evilCopy(assertion)
      evil.appendChild(assertion.cloneNode(true))
      response.replaceChild(evil, assertion)
      return document
    },
  },
  XSW5: {
    signed: 'assertion',
    wrap(document) {
      // The signed Assertion is altered (signature kept); an unsigned copy of the original goes to the end.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      const copy = withoutSignature(assertion)
      response.replaceChild(evilCopy(assertion, true), assertion)
      response.appendChild(copy)
      return document
    },
  },
  XSW6: {
    signed: 'assertion',
    wrap(document) {
      // As XSW5, the original copy placed inside the altered Assertion's signature.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      const copy = withoutSignature(assertion)
      const evil = evilCopy(assertion, true)
      childNamed(evil, DS, 'Signature').appendChild(copy)
      response.replaceChild(evil, assertion)
      return document
    },
  },
  XSW7: {
    signed: 'assertion',
    wrap(document) {
      // The signed Assertion hidden in an Extensions element; an unsigned evil one in its place.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      const extensions = document.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions')
      extensions.appendChild(assertion.cloneNode(true))
      response.replaceChild(evilCopy(assertion), assertion)
      response.insertBefore(extensions, response.firstChild)
      return document
    },
  },
  XSW8: {
    signed: 'assertion',
    wrap(document) {
      // The altered Assertion keeps its signature, which holds the original (unsigned) in an Object.
      const response = document.documentElement
      const assertion = childNamed(response, SAML, 'Assertion')
      const evil = evilCopy(assertion, true)
      const object = document.createElementNS(DS, 'ds:Object')
      object.appendChild(withoutSignature(assertion))
      childNamed(evil, DS, 'Signature').appendChild(object)
      response.replaceChild(evil, assertion)
      return document
    },
  },
}

describe.each(frameworks)('%s: SAML attacks are refused with no session', (framework) => {
  let host: SamlHost
  let workspace: SsoWorkspace
  let open: SsoWorkspace
  let ownerCookie: string

  beforeAll(async () => {
    host = await createSamlHost(framework, { saml: { maxResponseBytes: 16384 } })
    ownerCookie = (await host.signUp('owner@example.com')).cookie
    workspace = await host.configureWorkspace(ownerCookie)
    open = await host.configureWorkspace(ownerCookie, { domains: ['open.test'], allowIdpInitiated: true })
  })

  /** A fresh request of `target` and the fields a correct answer to it has. */
  async function solicited(target: SsoWorkspace = workspace, nameId = victim) {
    const login = await host.startLogin({ workspaceId: target.workspaceId })
    return { login, fields: host.responseFields(target, login.requestId, nameId) }
  }

  async function expectRefused(xml: string, status: number, code: string, options: { target?: SsoWorkspace | string; relayState?: string | null; raw?: string } = {}) {
    const res = await host.postAcs(options.target ?? workspace, xml, { json: true, relayState: options.relayState, ...(options.raw === undefined ? {} : { raw: options.raw }) })
    expect(res.body.error?.code, res.text).toBe(code)
    expect(res.status).toBe(status)
    expect(setsSession(res.headers['set-cookie'])).toBe(false)
    // The browser form gets the login page with the code, and no session either.
    return res
  }

  it('accepts the untouched response the attacks start from (the tests can pass)', async () => {
    const { login, fields } = await solicited()
    const res = await host.postAcs(workspace, host.signedResponse(fields), { json: true, relayState: login.relayState })
    expect(res.status, res.text).toBe(200)
  })

  for (const [name, { signed, wrap }] of Object.entries(wrappings)) {
    it(`refuses signature wrapping ${name}`, async () => {
      const { login, fields } = await solicited()
      const document = wrap(parse(host.signedResponse(fields, signed)))
      const res = await host.postAcs(workspace, serialize(document), { json: true, relayState: login.relayState })
      expect(['SAML_MALFORMED', 'SAML_SIGNATURE_INVALID'], res.text).toContain(res.body.error?.code)
      expect([400, 401]).toContain(res.status)
      expect(setsSession(res.headers['set-cookie'])).toBe(false)
      expect(await host.gate.workspaces.listMembers({ workspaceId: workspace.workspaceId }).then((members) => members.some((member) => member.email === attacker))).toBe(false)
    })
  }

  it('refuses an unsigned response', async () => {
    const { login, fields } = await solicited()
    await expectRefused(buildResponseXml(fields), 401, 'SAML_SIGNATURE_INVALID', { relayState: login.relayState })
  })

  it('refuses a NameID, an attribute or the Conditions changed after signing', async () => {
    for (const [from, to] of [
      [`>${victim}<`, `>${attacker}<`],
      ['>Ada Corp<', '>Root<'],
    ] as const) {
      const { login, fields } = await solicited()
      await expectRefused(host.signedResponse(fields).replace(from, to), 401, 'SAML_SIGNATURE_INVALID', { relayState: login.relayState })
    }
    const { login, fields } = await solicited()
    const later = new Date(fields.notOnOrAfter + 86_400_000).toISOString()
    const xml = host.signedResponse(fields).replace(`NotOnOrAfter="${new Date(fields.notOnOrAfter).toISOString()}">`, `NotOnOrAfter="${later}">`)
    expect(xml).toContain(later)
    await expectRefused(xml, 401, 'SAML_SIGNATURE_INVALID', { relayState: login.relayState })
  })

  it('refuses two assertions', async () => {
    const { login, fields } = await solicited()
    const document = parse(host.signedResponse(fields))
    const assertion = childNamed(document.documentElement, SAML, 'Assertion')
    document.documentElement.appendChild(evilCopy(assertion))
    await expectRefused(serialize(document), 400, 'SAML_MALFORMED', { relayState: login.relayState })
  })

  it('refuses a comment injected into the NameID', async () => {
    const { login, fields } = await solicited(workspace, 'ada@corp.test.evil.test')
    const xml = host.signedResponse(fields).replace('>ada@corp.test.evil.test<', '>ada@corp.test<!---->.evil.test<')
    await expectRefused(xml, 400, 'SAML_MALFORMED', { relayState: login.relayState })
  })

  it('refuses a response signed by another key with its certificate in KeyInfo', async () => {
    const { login, fields } = await solicited()
    const xml = signXml(buildResponseXml(fields), { keys: host.stranger, keyInfo: true })
    expect(xml).toContain('X509Certificate')
    await expectRefused(xml, 401, 'SAML_SIGNATURE_INVALID', { relayState: login.relayState })
  })

  it('refuses SHA-1 signatures and digests', async () => {
    const { login, fields } = await solicited()
    await expectRefused(signXml(buildResponseXml(fields), { keys: host.idp, algorithm: 'sha1' }), 401, 'SAML_SIGNATURE_INVALID', { relayState: login.relayState })
  })

  it('refuses a replayed assertion, solicited or not', async () => {
    const { login, fields } = await solicited()
    const xml = host.signedResponse(fields)
    expect((await host.postAcs(workspace, xml, { json: true, relayState: login.relayState })).status).toBe(200)
    await expectRefused(xml, 401, 'SAML_REPLAYED', { relayState: login.relayState })
    const unsolicited = host.signedResponse(host.responseFields(open, null, 'ida@open.test'))
    expect((await host.postAcs(open, unsolicited, { json: true })).status).toBe(200)
    await expectRefused(unsolicited, 401, 'SAML_REPLAYED', { target: open })
  })

  it('refuses expired and not yet valid assertions, and an expired subject confirmation', async () => {
    const now = host.clock.now()
    for (const changes of [
      { notOnOrAfter: now - 61_000 },
      { notBefore: now + 61_000 },
      { confirmationNotOnOrAfter: now - 61_000 },
      { sessionNotOnOrAfter: now - 1_000 },
    ]) {
      const { login, fields } = await solicited()
      await expectRefused(host.signedResponse({ ...fields, ...changes }), 401, 'SAML_RESPONSE_EXPIRED', { relayState: login.relayState })
    }
  })

  it('refuses a missing or wrong audience, destination, recipient, InResponseTo or issuer', async () => {
    for (const changes of [
      { audience: null },
      { audience: 'http://app.test/auth/saml/metadata/other' },
      { destination: 'https://evil.test/acs' },
      { destination: null },
      { recipient: 'https://evil.test/acs' },
      { recipient: null },
      { inResponseTo: '_not-a-request-of-ours-0123456789abcdef' },
      { issuer: 'https://evil.test/idp' },
      { responseIssuer: 'https://evil.test/idp' },
      { status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' },
    ]) {
      const { login, fields } = await solicited()
      await expectRefused(host.signedResponse({ ...fields, ...changes }), 401, 'SAML_RESPONSE_REJECTED', { relayState: login.relayState })
    }
  })

  it('refuses an unsolicited response where IdP-initiated login is off, and a RelayState of another request', async () => {
    await expectRefused(host.signedResponse(host.responseFields(workspace, null, victim)), 401, 'SAML_RESPONSE_REJECTED')
    const first = await solicited()
    const second = await solicited()
    await expectRefused(host.signedResponse(first.fields), 401, 'SAML_RESPONSE_REJECTED', { relayState: second.login.relayState })
  })

  it("refuses a response for workspace A at workspace B's ACS, though both trust the same certificate", async () => {
    const a = await solicited(open, 'ida@open.test')
    await expectRefused(host.signedResponse(a.fields), 401, 'SAML_RESPONSE_REJECTED', { target: workspace, relayState: a.login.relayState })
    // Rewritten for B by someone holding the key would still answer A's request, which B never issued.
    const forB = host.responseFields(workspace, a.login.requestId, victim)
    await expectRefused(host.signedResponse(forB), 401, 'SAML_RESPONSE_REJECTED', { target: workspace, relayState: a.login.relayState })
  })

  it('refuses an empty NameID', async () => {
    const { login, fields } = await solicited(workspace, '')
    await expectRefused(host.signedResponse(fields), 400, 'SAML_MALFORMED', { relayState: login.relayState })
  })

  it('refuses a DOCTYPE and entity expansion before parsing', async () => {
    const { login, fields } = await solicited()
    const signed = host.signedResponse(fields)
    const external = signed.replace('?>', '?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace(`>${victim}<`, '>&x;<')
    expect(external).toContain('<!DOCTYPE')
    await expectRefused(external, 400, 'SAML_MALFORMED', { relayState: login.relayState })
    const laughs = Array.from({ length: 9 }, (_, index) => `<!ENTITY l${index + 1} "${`&l${index};`.repeat(10)}">`).join('')
    const bomb = `<!DOCTYPE r [<!ENTITY l0 "lol">${laughs}]>${signed.replace(`>${victim}<`, '>&l9;<')}`
    await expectRefused(bomb, 400, 'SAML_MALFORMED', { relayState: login.relayState })
    await expectRefused(signed.replace('?>', '?><!doctype r>'), 400, 'SAML_MALFORMED', { relayState: login.relayState })
    await expectRefused(signed.replace('?>', '?><?evil instruction?>'), 400, 'SAML_MALFORMED', { relayState: login.relayState })
  })

  it('refuses an oversized document with 413 before decoding it', async () => {
    const { login, fields } = await solicited()
    const xml = host.signedResponse({ ...fields, attributes: { name: 'x'.repeat(20_000) } })
    await expectRefused(xml, 413, 'PAYLOAD_TOO_LARGE', { relayState: login.relayState })
    const res = await request(host.handler).post(workspace.acsPath).type('form').set('Accept', 'application/json').send({ SAMLResponse: 'A'.repeat(200_000) })
    expect(res.status).toBe(413)
    expect(setsSession(res.headers['set-cookie'])).toBe(false)
  })

  it('sends a refused browser post to the login page with the code', async () => {
    const { fields } = await solicited()
    const res = await host.postAcs(workspace, buildResponseXml(fields))
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/?error=SAML_SIGNATURE_INVALID')
    expect(setsSession(res.headers['set-cookie'])).toBe(false)
    const garbage = await host.postAcs(workspace, '', { raw: encodeResponse('<not-saml/>') })
    expect(garbage.headers.location).toBe('http://app.test/?error=SAML_MALFORMED')
  })
})
