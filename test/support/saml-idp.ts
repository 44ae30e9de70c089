import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { SignedXml } from 'xml-crypto'

/** An RSA key pair with a self-signed certificate, made by openssl for this test run only. */
export interface TestKeyPair {
  privateKey: string
  certificate: string
}

export function generateKeyPair(commonName = 'idp'): TestKeyPair {
  const directory = mkdtempSync(join(tmpdir(), 'gatehouse-saml-'))
  try {
    const keyFile = join(directory, 'key.pem')
    const certFile = join(directory, 'cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', `/CN=${commonName}`, '-keyout', keyFile, '-out', certFile], {
      stdio: 'ignore',
    })
    return { privateKey: readFileSync(keyFile, 'utf8'), certificate: readFileSync(certFile, 'utf8') }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

export const emailFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'

export interface ResponseFields {
  responseId: string
  assertionId: string
  /** Issuer of the Response element; null leaves it out. */
  responseIssuer: string | null
  issuer: string
  destination: string | null
  inResponseTo: string | null
  recipient: string | null
  /** Audiences of the one AudienceRestriction; null leaves the restriction out. */
  audience: string | null
  nameId: string
  nameIdFormat: string
  now: number
  notBefore: number
  notOnOrAfter: number
  confirmationNotOnOrAfter: number
  sessionNotOnOrAfter: number | null
  attributes: Record<string, string>
  status: string
}

const iso = (time: number) => new Date(time).toISOString()
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

/** An unsigned SAML Response with one assertion, shaped like the big IdPs send them. */
export function buildResponseXml(fields: ResponseFields): string {
  const inResponseTo = fields.inResponseTo === null ? '' : ` InResponseTo="${escape(fields.inResponseTo)}"`
  const attributes = Object.entries(fields.attributes)
    .map(([name, value]) => `<saml:Attribute Name="${escape(name)}"><saml:AttributeValue>${escape(value)}</saml:AttributeValue></saml:Attribute>`)
    .join('')
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${fields.responseId}" Version="2.0" IssueInstant="${iso(fields.now)}"` +
    (fields.destination === null ? '' : ` Destination="${escape(fields.destination)}"`) +
    `${inResponseTo}>` +
    (fields.responseIssuer === null ? '' : `<saml:Issuer>${escape(fields.responseIssuer)}</saml:Issuer>`) +
    `<samlp:Status><samlp:StatusCode Value="${fields.status}"/></samlp:Status>` +
    `<saml:Assertion ID="${fields.assertionId}" Version="2.0" IssueInstant="${iso(fields.now)}">` +
    `<saml:Issuer>${escape(fields.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${fields.nameIdFormat}">${escape(fields.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(fields.confirmationNotOnOrAfter)}"` +
    (fields.recipient === null ? '' : ` Recipient="${escape(fields.recipient)}"`) +
    `${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(fields.notBefore)}" NotOnOrAfter="${iso(fields.notOnOrAfter)}">` +
    (fields.audience === null ? '' : `<saml:AudienceRestriction><saml:Audience>${escape(fields.audience)}</saml:Audience></saml:AudienceRestriction>`) +
    '</saml:Conditions>' +
    `<saml:AuthnStatement AuthnInstant="${iso(fields.now)}" SessionIndex="_session"` +
    (fields.sessionNotOnOrAfter === null ? '' : ` SessionNotOnOrAfter="${iso(fields.sessionNotOnOrAfter)}"`) +
    '><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>' +
    (attributes === '' ? '' : `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`) +
    '</saml:Assertion></samlp:Response>'
  )
}

export interface SignOptions {
  keys: TestKeyPair
  /** What the signature covers. Default 'assertion'. */
  target?: 'assertion' | 'response'
  /** 'sha1' signs with RSA-SHA1 and a SHA-1 digest. Default 'sha256'. */
  algorithm?: 'sha256' | 'sha1'
  /** Puts the signing certificate in KeyInfo. */
  keyInfo?: boolean
}

const algorithms = {
  sha256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
}

/** Signs the assertion (or the response) enveloped, right after its Issuer, as IdPs do. */
export function signXml(xml: string, options: SignOptions): string {
  const { signature, digest } = algorithms[options.algorithm ?? 'sha256']
  const element = options.target === 'response' ? 'Response' : 'Assertion'
  const sig = new SignedXml({
    privateKey: options.keys.privateKey,
    publicCert: options.keys.certificate,
    signatureAlgorithm: signature,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    ...(options.keyInfo === true ? { getKeyInfoContent: SignedXml.getKeyInfoContent } : {}),
  })
  sig.addReference({
    xpath: `/*[local-name(.)='Response']${element === 'Assertion' ? "/*[local-name(.)='Assertion']" : ''}`,
    digestAlgorithm: digest,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  })
  const issuer = element === 'Assertion' ? "/*[local-name(.)='Response']/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']" : "/*[local-name(.)='Response']/*[local-name(.)='Issuer']"
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: issuer, action: 'after' } })
  return sig.getSignedXml()
}

export function encodeResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64')
}

/** The AuthnRequest an SSO URL carries (HTTP-Redirect binding: deflated, base64), and its RelayState. */
export function readLoginRequest(ssoUrl: string): { requestId: string; xml: string; relayState: string | null; url: URL } {
  const url = new URL(ssoUrl)
  const encoded = url.searchParams.get('SAMLRequest')
  if (encoded === null) throw new Error(`no SAMLRequest in ${ssoUrl}`)
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8')
  const requestId = /\sID="([^"]+)"/.exec(xml)?.[1]
  if (requestId === undefined) throw new Error(`no ID in ${xml}`)
  return { requestId, xml, relayState: url.searchParams.get('RelayState'), url }
}
