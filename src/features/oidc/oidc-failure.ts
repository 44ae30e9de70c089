import * as oauth from 'oauth4webapi'
import type { Core } from '../../core.js'
import { describeErrorForLog } from '../../errors/describe-error.js'
import { AuthError } from '../../errors/auth-error.js'

/** What oauth4webapi reports for an expired JWT: a timestamp check on the `exp` claim. */
function isExpiry(error: oauth.OperationProcessingError): boolean {
  const cause = error.cause as { claim?: unknown } | undefined
  return error.code === oauth.JWT_TIMESTAMP_CHECK && cause?.claim === 'exp'
}

/** The claim, header or attribute a check compared (the log redacts quoted text, which would hide it); names only, never values. */
function describeCheckedField(error: Error): string {
  const cause = error.cause as { claim?: unknown; attribute?: unknown } | undefined
  const field = cause?.claim ?? cause?.attribute
  return typeof field === 'string' && /^[a-z_]{1,40}$/.test(field) ? ` (checked: ${field})` : ''
}

/** Which check refused a provider's answer: for the host's log only. */
function warnRefusal(core: Core, providerId: string, reason: string): void {
  core.config.logger.warn(`oidc provider ${providerId}: refused its answer: ${reason}`, { code: 'OIDC_RESPONSE_INVALID' })
}

/**
 * The client-facing code of a failure while talking to a provider. The details stay in the log
 * (without secrets): a callback must not tell an attacker which check stopped it.
 */
export function toOidcFailure(core: Core, providerId: string, error: unknown): AuthError {
  if (error instanceof AuthError) {
    if (error.code === 'OIDC_RESPONSE_INVALID') warnRefusal(core, providerId, error.message)
    return error
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new AuthError(error.error === 'access_denied' ? 'OIDC_ACCESS_DENIED' : 'OIDC_PROVIDER_ERROR')
  }
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthError('OIDC_PROVIDER_ERROR')
  }
  if (error instanceof oauth.OperationProcessingError && isExpiry(error)) return new AuthError('TOKEN_EXPIRED')
  if (error instanceof oauth.OperationProcessingError && error.code === oauth.RESPONSE_IS_NOT_CONFORM) {
    return new AuthError('OIDC_PROVIDER_ERROR')
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    warnRefusal(core, providerId, `${describeErrorForLog(error)}${describeCheckedField(error)}`)
    return new AuthError('OIDC_RESPONSE_INVALID')
  }
  core.config.logger.error(`oidc provider ${providerId}: unreachable: ${describeErrorForLog(error)}`, { code: 'OIDC_PROVIDER_UNAVAILABLE' })
  return new AuthError('OIDC_PROVIDER_UNAVAILABLE', { cause: error })
}

/** A discovery that failed, whatever the reason (network, a foreign issuer, bad metadata): the provider is not usable now. */
export function toDiscoveryFailure(core: Core, providerId: string, error: unknown): AuthError {
  core.config.logger.error(`oidc provider ${providerId}: discovery failed: ${describeErrorForLog(error)}`, { code: 'OIDC_PROVIDER_UNAVAILABLE' })
  return new AuthError('OIDC_PROVIDER_UNAVAILABLE', { cause: error })
}
