import type { Core } from '../../core.js'
import { revokeUserSessions } from '../sessions/revoke-session.js'
import type { UserRecord } from '../../storage/ports.js'
import { findLiveSession } from '../sessions/live-session.js'
import { revokeUserTokens } from '../tokens/user-tokens.js'

/** What came with a proof of the mailbox besides the mailbox itself. */
export interface MailboxProof {
  /**
   * The id of the session the request presented, if any (routes read it from the cookie or Bearer
   * header; a host's own route passes `req.auth.session.id`). Only a live, complete session of this
   * same account shows that the account holder is the one who opened the mailbox.
   */
  presentedSessionId?: string | undefined
}

/** Whether the proof came from someone already signed in to this account. */
async function provesAccount(core: Core, user: UserRecord, proof: MailboxProof): Promise<boolean> {
  if (proof.presentedSessionId === undefined) return false
  const session = await findLiveSession(core, user.id, proof.presentedSessionId)
  return session !== null && !session.pendingSecondFactor
}

/**
 * Records that the user just proved the mailbox of their e-mail (a magic link, a reset link; e-mail
 * verification and OIDC/SAML linking belong here too) and marks the e-mail verified. Until that
 * first proof anyone could have signed up with the address (pre-account hijacking), so when it
 * comes without proof of the account, whatever was set up before it is the signer-up's, not the
 * mailbox owner's: every session, API token and access client ends, the second factors (TOTP,
 * recovery codes, secondary password), outstanding secrets and the password go (the owner sets one
 * by reset). Later proofs, and one presented with the account's own session, change nothing else.
 * Answers the user as now stored.
 */
export async function secureProvenMailbox(core: Core, user: UserRecord, proof: MailboxProof = {}): Promise<UserRecord> {
  if (user.emailVerifiedAt !== null) return user
  const now = core.config.clock.now()
  const proven: UserRecord = { ...user, emailVerifiedAt: now, updatedAt: now }
  if (await provesAccount(core, user, proof)) {
    await core.storage.users.update(user.id, { emailVerifiedAt: now, updatedAt: now })
    return proven
  }
  await revokeUserSessions(core, user.id)
  await revokeUserTokens(core, user.id)
  await core.storage.factors.deleteByUser(user.id)
  await core.storage.verifications.deleteByUser(user.id)
  // Verified last: should a step above fail, the next proof is still a first one and clears again.
  await core.storage.users.update(user.id, { passwordHash: null, emailVerifiedAt: now, updatedAt: now })
  return { ...proven, passwordHash: null }
}
