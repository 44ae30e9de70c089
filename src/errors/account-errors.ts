import { AuthError } from './auth-error.js'

/** 409: sign-up or a profile change to an e-mail another account has. */
export function emailTaken(): AuthError {
  return new AuthError('CONFLICT', { message: 'An account with this e-mail already exists.' })
}
