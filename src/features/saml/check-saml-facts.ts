import { AuthError } from '../../errors/auth-error.js'
import type { SsoConfigRecord } from '../../storage/ports.js'
import type { SamlResponseFacts, SamlSubjectConfirmation } from './saml-engine.js'
import type { ServiceProviderInfo } from './sso-config.js'

const bearer = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'

export interface SamlCheckContext {
  config: SsoConfigRecord
  sp: ServiceProviderInfo
  now: number
  skewMs: number
}

export interface CheckedSamlFacts {
  /** Until when the assertion could be accepted: its id stays claimed until then. */
  acceptableUntil: number
}

const rejected = (message: string) => new AuthError('SAML_RESPONSE_REJECTED', { message })
const expired = (message: string) => new AuthError('SAML_RESPONSE_EXPIRED', { message })

/** One bearer confirmation, checked; the refusal it earns, or null when it holds. */
function checkConfirmation(confirmation: SamlSubjectConfirmation, facts: SamlResponseFacts, context: SamlCheckContext): AuthError | null {
  const { now, skewMs, sp } = context
  if (confirmation.recipient !== sp.acsUrl) return rejected('The SubjectConfirmationData Recipient is not this ACS.')
  if (confirmation.inResponseTo !== facts.inResponseTo) return rejected('The SubjectConfirmationData InResponseTo differs from the Response.')
  if (confirmation.notOnOrAfter === null) return rejected('The SubjectConfirmationData has no NotOnOrAfter.')
  if (now >= confirmation.notOnOrAfter + skewMs) return expired('The subject confirmation has expired.')
  if (confirmation.notBefore !== null && now + skewMs < confirmation.notBefore) return expired('The subject confirmation is not yet valid.')
  return null
}

/**
 * gatehouse's checks of a verified response, those saml2-js lacks: Destination and Recipient are
 * this workspace's ACS; both Issuers are the configured IdP; an AudienceRestriction is present and
 * names this workspace's SP; NotBefore / NotOnOrAfter hold with one skew; InResponseTo agrees
 * between Response and SubjectConfirmationData. The request it answers is checked by the caller.
 */
export function checkSamlFacts(facts: SamlResponseFacts, context: SamlCheckContext): CheckedSamlFacts {
  const { config, sp, now, skewMs } = context
  const { assertion } = facts
  if (facts.destination !== sp.acsUrl) throw rejected('The Response Destination is not this ACS.')
  if (facts.responseIssuer !== null && facts.responseIssuer !== config.idpEntityId) throw rejected('The Response Issuer is not the configured IdP.')
  if (assertion.issuer !== config.idpEntityId) throw rejected('The Assertion Issuer is not the configured IdP.')

  const { conditions } = assertion
  if (conditions === null || conditions.audienceRestrictions.length === 0) throw rejected('The assertion has no AudienceRestriction.')
  if (!conditions.audienceRestrictions.every((audiences) => audiences.includes(sp.entityId))) throw rejected('The assertion is for another audience.')
  if (conditions.notBefore !== null && now + skewMs < conditions.notBefore) throw expired('The assertion is not yet valid.')
  if (conditions.notOnOrAfter !== null && now >= conditions.notOnOrAfter + skewMs) throw expired('The assertion has expired.')

  const confirmations = assertion.subjectConfirmations.filter((confirmation) => confirmation.method === bearer)
  if (confirmations.length === 0) throw rejected('The assertion has no bearer subject confirmation.')
  const refusals = confirmations.map((confirmation) => checkConfirmation(confirmation, facts, context))
  const held = confirmations.filter((_, index) => refusals[index] === null)
  if (held.length === 0) throw refusals[0]!
  if (assertion.sessionNotOnOrAfter !== null && now >= assertion.sessionNotOnOrAfter) throw expired('The IdP session has ended.')

  const ends = [conditions.notOnOrAfter, ...held.map((confirmation) => confirmation.notOnOrAfter)].filter((time) => time !== null)
  return { acceptableUntil: Math.max(...ends) + skewMs }
}
