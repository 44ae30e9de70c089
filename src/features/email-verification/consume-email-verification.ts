import type { Core } from '../../core.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { emailTaken } from '../../errors/account-errors.js'
import { invalidToken } from '../../errors/credential-errors.js'
import { maskEmail } from '../../http/email.js'
import type { UserRecord, VerificationRecord } from '../../storage/ports.js'
import { type MailboxProof, secureProvenMailbox } from '../account/secure-proven-mailbox.js'
import { emailChangePurpose, emailVerificationPurpose } from './send-email-verification.js'

/** What opening a verification link did. */
export interface ConsumedEmailVerification {
  user: UserRecord
  /** 'verified': the current address is proven; 'changed': the account moved to the link's address. */
  outcome: 'verified' | 'changed'
  /** The address the account left ('changed' only). */
  previousEmail?: string
}

const invalidLink = () => invalidToken('The link is invalid, already used or expired.')

/** Moves the account to the proven address, and tells the old one (after the answer). */
async function applyEmailChange(core: Core, record: VerificationRecord): Promise<UserRecord> {
  const email = record.data?.email
  const previousEmail = record.data?.previousEmail
  const user = record.userId === null ? null : await core.storage.users.getById(record.userId)
  // The account moved elsewhere since the link was sent: the link belonged to the old state.
  if (user === null || email === undefined || previousEmail === undefined || user.email !== previousEmail) throw invalidLink()
  const now = core.config.clock.now()
  const outcome = await core.storage.users.update(user.id, { email, emailVerifiedAt: now, updatedAt: now })
  if (outcome === 'email_taken') throw emailTaken()
  if (outcome === 'not_found') throw invalidLink()
  core.background.run('emailChanged', () =>
    deliverMessage(core, { medium: 'email', to: previousEmail, masked: maskEmail(previousEmail) }, previousEmail, 'email_changed', [], {
      lifetimeMinutes: 0,
      newEmail: maskEmail(email),
    }),
  )
  return { ...user, email, emailVerifiedAt: now, updatedAt: now }
}

/**
 * Uses up an e-mail verification or e-mail change link (atomically: of concurrent callers exactly
 * one succeeds). 401 INVALID_TOKEN for an unknown, used, expired or superseded token, and for a
 * link to an address the account no longer has; 409 CONFLICT when another account took the new
 * address meanwhile. A first proof of the current address without the account's own complete
 * session ends what was set up before it (see secureProvenMailbox); `proof.presentedSessionId` is
 * the session the request carried, if any.
 */
export async function consumeEmailVerification(core: Core, token: string, proof: MailboxProof = {}): Promise<ConsumedEmailVerification> {
  if (token.length === 0 || token.length > 256) throw invalidLink()
  const now = core.config.clock.now()
  const secretHash = sha256Hex(token)
  const verification = await core.storage.verifications.consume(emailVerificationPurpose, secretHash, now)
  if (verification !== null) {
    const user = verification.userId === null ? null : await core.storage.users.getById(verification.userId)
    if (user === null || user.email !== verification.data?.email) throw invalidLink()
    return { user: await secureProvenMailbox(core, user, proof), outcome: 'verified' }
  }
  const change = await core.storage.verifications.consume(emailChangePurpose, secretHash, now)
  if (change === null) throw invalidLink()
  return { user: await applyEmailChange(core, change), outcome: 'changed', previousEmail: change.data?.previousEmail }
}
