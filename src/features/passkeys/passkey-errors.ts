import { AuthError } from '../../errors/auth-error.js'

/** No challenge for this browser: never asked, used already, expired, or the cookie is another browser's. */
export function passkeyChallengeInvalid(): AuthError {
  return new AuthError('PASSKEY_CHALLENGE_INVALID')
}

/** A response that fails verification: signature, origin, rpId, challenge, flags, counter, or an unknown credential. */
export function passkeyRejected(message?: string): AuthError {
  return new AuthError('PASSKEY_REJECTED', { message })
}
