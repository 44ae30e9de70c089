import { AuthError } from '../../errors/auth-error.js'

/** A wrong TOTP code, recovery code or secondary password. */
export function invalidSecondFactor(): AuthError {
  return new AuthError('INVALID_CODE', 401, 'The code or password is not valid.')
}

/** The user has not set up (or has removed) the factor asked for. */
export function factorNotEnabled(): AuthError {
  return new AuthError('FACTOR_NOT_ENABLED', 400, 'This second factor is not enabled for the account.')
}
