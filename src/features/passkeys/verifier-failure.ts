import { passkeyRejected } from './passkey-errors.js'

/**
 * The verifier's reason, as a 401 PASSKEY_REJECTED: it names the check that failed (origin, rpId,
 * challenge, flags, signature, counter) and holds nothing secret.
 */
export function rejectFromVerifier(error: unknown): never {
  const reason = error instanceof Error ? error.message.slice(0, 200) : 'verification failed'
  throw passkeyRejected(`The passkey response could not be verified: ${reason}`)
}
