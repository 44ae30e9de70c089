import { AuthError } from '../../errors/auth-error.js'

/** A wrong TOTP code, recovery code or secondary password. */
export function invalidSecondFactor(): AuthError {
  return new AuthError('INVALID_CODE')
}

/** Enabling or confirming TOTP while a confirmed TOTP factor exists. */
export function totpAlreadyEnabled(): AuthError {
  return new AuthError('CONFLICT', { message: 'TOTP is already enabled; disable it first.' })
}

/** The user has not set up (or has removed) the factor asked for. */
export function factorNotEnabled(): AuthError {
  return new AuthError('FACTOR_NOT_ENABLED')
}

/** A right TOTP code whose time step was already used (a replay, or a second tab): wait for the next code. */
export function codeAlreadyUsed(): AuthError {
  return new AuthError('CODE_ALREADY_USED')
}

/** The stored factor secret cannot be decrypted with the configured secret. */
export function factorUnreadable(): AuthError {
  return new AuthError('FACTOR_UNREADABLE')
}
