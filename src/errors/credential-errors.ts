import { AuthError } from './auth-error.js'

/** 401: a password or Authorization header that does not sign anyone in. The message never tells whether an account exists. */
export function invalidCredentials(message?: string): AuthError {
  return new AuthError('INVALID_CREDENTIALS', { message })
}

/** 401: an unknown, revoked or used-up token; the message may name what carried it (a mailed link). */
export function invalidToken(message?: string): AuthError {
  return new AuthError('INVALID_TOKEN', { message })
}

/** 400: a password against the policy, each rule it breaks a detail on its field (`path`); never echoes the password. */
export function weakPassword(path: string, problems: string[]): AuthError {
  return new AuthError('WEAK_PASSWORD', {
    message: `The password ${problems.join(' and ')}.`,
    details: problems.map((message) => ({ path, message })),
  })
}
