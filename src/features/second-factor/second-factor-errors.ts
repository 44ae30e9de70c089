import { AuthError } from '../../errors/auth-error.js'

/** A wrong TOTP code, recovery code or secondary password. */
export function invalidSecondFactor(): AuthError {
  return new AuthError('INVALID_CODE')
}

/** The user has not set up (or has removed) the factor asked for. */
export function factorNotEnabled(): AuthError {
  return new AuthError('FACTOR_NOT_ENABLED')
}
