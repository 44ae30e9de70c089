import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import type { UserRecord } from '../../storage/ports.js'
import { emailVerificationOptions } from './email-verification-options.js'

/** Whether verification is on, e-mail delivery is configured and the verify route a link opens is mounted. */
export function emailVerificationAvailable(core: Core): boolean {
  return emailVerificationOptions.of(core).enabled && core.config.delivery.email !== null && core.urls.has('emailVerificationVerify')
}

/** 404 FEATURE_DISABLED unless e-mail verification is available. */
export function assertEmailVerificationEnabled(core: Core): void {
  if (!emailVerificationAvailable(core)) throw new AuthError('FEATURE_DISABLED', { message: 'E-mail verification is not enabled.' })
}

/**
 * The check guards and routes run with `emailVerification.required`: built once per guard, so a
 * request pays one field read. True when the user may only verify, ask for a link or sign out.
 */
export function createVerificationCheck(core: Core): (user: UserRecord) => boolean {
  if (!emailVerificationOptions.of(core).required) return () => false
  return (user) => user.emailVerifiedAt === null
}

/** Whether the user's sign-in stays pending until the e-mail is verified. */
export function awaitsEmailVerification(core: Core, user: UserRecord): boolean {
  return emailVerificationOptions.of(core).required && user.emailVerifiedAt === null
}

export function emailNotVerified(): AuthError {
  return new AuthError('EMAIL_NOT_VERIFIED')
}
