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
