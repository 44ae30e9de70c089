import type { Core } from '../../core.js'
import { emailTaken } from '../../errors/account-errors.js'
import type { UserRecord } from '../../storage/ports.js'
import { assertEmailVerificationEnabled } from './email-verification-access.js'
import { type EmailVerificationSent, emailChangePurpose, mailVerificationLink } from './send-email-verification.js'

/**
 * Starts moving the account to `newEmail` (normalised): a link goes to the new address, and the
 * account keeps its current one until the link is opened, so a typo or someone else's address
 * never takes the account over. 409 CONFLICT when another account has the address. The caller
 * has confirmed the account's password already.
 */
export async function requestEmailChange(
  core: Core,
  user: UserRecord,
  newEmail: string,
  locales: readonly string[] = [],
): Promise<EmailVerificationSent> {
  assertEmailVerificationEnabled(core)
  if ((await core.storage.users.getByEmail(newEmail)) !== null) throw emailTaken()
  return mailVerificationLink(core, user, { purpose: emailChangePurpose, to: newEmail, data: { email: newEmail, previousEmail: user.email }, locales })
}
