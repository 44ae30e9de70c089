import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { SsoConfigRecord } from '../../storage/ports.js'
import { checkSamlFacts } from './check-saml-facts.js'
import { type SamlResponseFacts, SamlEngineError } from './saml-engine.js'
import { saml2JsEngine } from './saml2-js-engine.js'
import { samlRequestPurpose } from './saml-login-request.js'
import { samlOptions } from './saml-options.js'
import { screenSamlResponse } from './screen-saml-response.js'
import { describeServiceProvider } from './sso-config.js'

/** A response that passed every check: who the IdP says signed in, and where the browser goes. */
export interface AcceptedSamlResponse {
  config: SsoConfigRecord
  facts: SamlResponseFacts
  /** The absolute URL the login request allowed (the default for an IdP-initiated login). */
  returnTo: string
}

function toAuthError(error: unknown): unknown {
  if (!(error instanceof SamlEngineError)) return error
  if (error.kind === 'malformed') return new AuthError('SAML_MALFORMED', { message: `The SAML response is malformed: ${error.message}.` })
  if (error.kind === 'status') return new AuthError('SAML_RESPONSE_REJECTED', { message: 'The identity provider did not report success.' })
  return new AuthError('SAML_SIGNATURE_INVALID', { message: error.kind === 'weak_algorithm' ? 'SHA-1 signatures are refused.' : undefined })
}

/**
 * The request a solicited response answers, used up (exactly one response gets it), and the
 * returnTo it allowed. Unsolicited responses pass only where the workspace allows IdP-initiated login.
 */
async function claimRequest(core: Core, config: SsoConfigRecord, facts: SamlResponseFacts, relayState: string | undefined): Promise<string> {
  const options = samlOptions.of(core)
  if (facts.inResponseTo === null) {
    if (!config.allowIdpInitiated) throw new AuthError('SAML_RESPONSE_REJECTED', { message: 'Unsolicited responses are not accepted by this workspace.' })
    return new URL(options.defaultRedirect, options.redirects.baseUrl.origin).href
  }
  const record = await core.storage.verifications.consume(samlRequestPurpose, sha256Hex(facts.inResponseTo), core.config.clock.now())
  const data = record?.data
  if (data?.workspaceId !== config.workspaceId || data.returnTo === undefined) {
    throw new AuthError('SAML_RESPONSE_REJECTED', { message: 'The response answers no pending request of this workspace.' })
  }
  if (relayState !== undefined && !equalsConstantTime(sha256Hex(relayState), data.relayStateHash ?? '')) {
    throw new AuthError('SAML_RESPONSE_REJECTED', { message: 'RelayState does not belong to the request.' })
  }
  return data.returnTo
}

/**
 * Everything between the IdP's POST and knowing who signed in: screening before parsing (size,
 * doctype), the engine's signature check, gatehouse's own checks, the request it answers (used
 * once) and the assertion id (claimed once until it could no longer be accepted, across
 * processes through the limits store). 404 without an enabled config.
 */
export async function acceptSamlResponse(core: Core, workspaceId: string, encoded: string, relayState: string | undefined): Promise<AcceptedSamlResponse> {
  const options = samlOptions.of(core)
  const xml = screenSamlResponse(encoded, options.maxResponseBytes)
  const config = workspaceId.length > 200 ? null : await core.storage.workspaces.getSsoConfig(workspaceId)
  if (config === null || !config.enabled) throw notFound('SSO configuration')
  const sp = describeServiceProvider(core, workspaceId)
  let facts: SamlResponseFacts
  try {
    facts = await saml2JsEngine.verifyResponse({ xml, idpCertificates: config.idpCertificates, spEntityId: sp.entityId, acsUrl: sp.acsUrl })
  } catch (error) {
    throw toAuthError(error)
  }
  const now = core.config.clock.now()
  const { acceptableUntil } = checkSamlFacts(facts, { config, sp, now, skewMs: options.clockSkewSeconds * 1000 })
  // Claimed before the request is used up, so a replay is told as one.
  const assertionKey = `saml_assertion:${workspaceId}:${sha256Hex(`${facts.assertion.issuer}\u0000${facts.assertion.id}`)}`
  if (!(await core.storage.limits.claim(assertionKey, acceptableUntil, now))) throw new AuthError('SAML_REPLAYED')
  return { config, facts, returnTo: await claimRequest(core, config, facts, relayState) }
}
