import saml2 from 'saml2-js'
import { readSamlDocument } from './read-saml-document.js'

/** Why the engine refused a response: 'malformed' is the sender's document, the rest its proof. */
export type SamlEngineFailure = 'malformed' | 'signature' | 'weak_algorithm' | 'status'

export class SamlEngineError extends Error {
  override readonly name = 'SamlEngineError'
  constructor(
    readonly kind: SamlEngineFailure,
    message: string,
  ) {
    super(message)
  }
}

export interface SamlSubjectConfirmation {
  method: string | null
  recipient: string | null
  inResponseTo: string | null
  notBefore: number | null
  notOnOrAfter: number | null
}

/** What a verified response says, for gatehouse's own checks. Times are ms since the epoch. */
export interface SamlResponseFacts {
  responseId: string | null
  destination: string | null
  inResponseTo: string | null
  responseIssuer: string | null
  status: string | null
  subStatus: string | null
  assertion: {
    id: string
    issuer: string
    nameId: string
    nameIdFormat: string | null
    subjectConfirmations: SamlSubjectConfirmation[]
    /** Null when the assertion has no Conditions. Each AudienceRestriction lists its audiences. */
    conditions: { notBefore: number | null; notOnOrAfter: number | null; audienceRestrictions: string[][] } | null
    sessionNotOnOrAfter: number | null
    attributes: Record<string, string[]>
  }
}

export interface SamlLoginRequestInput {
  idpSsoUrl: string
  spEntityId: string
  acsUrl: string
  relayState: string
  nameIdFormat: string
}

export interface SamlVerifyInput {
  /** The decoded document, already screened (size, doctype). */
  xml: string
  idpCertificates: readonly string[]
  spEntityId: string
  acsUrl: string
}

/**
 * The SAML protocol work gatehouse hands to a library, behind one seam so the library can be
 * replaced. verifyResponse answers only for a document whose signature by one of the
 * certificates covers everything it reports; the checks of the facts are gatehouse's own.
 */
export interface SamlEngine {
  /** An AuthnRequest for the HTTP-Redirect binding: the IdP URL to send the browser to, and the request's ID. */
  createLoginRequest(input: SamlLoginRequestInput): Promise<{ url: string; requestId: string }>
  /** Throws SamlEngineError for a malformed, unsigned, badly signed or weakly signed document. */
  verifyResponse(input: SamlVerifyInput): Promise<SamlResponseFacts>
}

const successStatus = 'urn:oasis:names:tc:SAML:2.0:status:Success'

// saml2-js never signs or decrypts for gatehouse (no SP key), but its constructor wants both.
const noSpKey = { private_key: '', certificate: '' }

function serviceProvider(spEntityId: string, acsUrl: string, nameIdFormat?: string): saml2.ServiceProvider {
  return new saml2.ServiceProvider({
    ...noSpKey,
    entity_id: spEntityId,
    assert_endpoint: acsUrl,
    allow_unencrypted_assertion: true,
    // gatehouse checks the audience itself, and needs it present; saml2-js would only refuse a wrong one.
    audience: /(?:)/,
    ...(nameIdFormat === undefined ? {} : { nameid_format: nameIdFormat }),
  })
}

function identityProvider(ssoUrl: string, certificates: readonly string[]): saml2.IdentityProvider {
  return new saml2.IdentityProvider({ sso_login_url: ssoUrl, sso_logout_url: ssoUrl, certificates: [...certificates] })
}

/** The engine on saml2-js: it checks the signature; the strict reading before it pins what was signed. */
export const saml2JsEngine: SamlEngine = {
  createLoginRequest(input) {
    const sp = serviceProvider(input.spEntityId, input.acsUrl, input.nameIdFormat)
    return new Promise((resolve, reject) => {
      sp.create_login_request_url(identityProvider(input.idpSsoUrl, []), { relay_state: input.relayState }, (error, url, requestId) => {
        if (error !== null) reject(error)
        else resolve({ url, requestId })
      })
    })
  },

  async verifyResponse(input) {
    const facts = readSamlDocument(input.xml)
    if (facts.status !== successStatus) throw new SamlEngineError('status', 'the identity provider reports no success')
    const sp = serviceProvider(input.spEntityId, input.acsUrl)
    const options = {
      request_body: { SAMLResponse: Buffer.from(input.xml, 'utf8').toString('base64') },
      // Times are checked by gatehouse with its own clock and one skew; saml2-js would read Date.now().
      ignore_timing: true,
      require_session_index: false,
    }
    const verified = await new Promise<saml2.SAMLAssertResponse>((resolve, reject) => {
      sp.post_assert(identityProvider('https://idp.invalid/', input.idpCertificates), options, (error, response) => {
        if (error !== null) reject(new SamlEngineError('signature', `refused by the engine: ${error.message.slice(0, 200)}`))
        else resolve(response)
      })
    })
    if (verified.user.name_id !== facts.assertion.nameId) throw new SamlEngineError('malformed', 'the NameID read differs from the one signed')
    return facts
  },
}
