import { type MailboxProof, secureProvenMailbox } from '../account/secure-proven-mailbox.js'
import type { Core } from '../../core.js'
import type { UserRecord } from '../../storage/ports.js'
import { revokeUserSessions } from '../sessions/revoke-session.js'
import { storePassword } from '../passwords/change-password.js'
import { checkNewPassword } from '../passwords/check-new-password.js'
import { assertPasswordResetEnabled, findPasswordReset, hashPasswordResetKey, invalidPasswordResetKey, passwordResetPurpose } from './password-reset-key.js'

/**
 * Sets a new password with a reset key and ends every session of the user. The policy is checked
 * before the key is used up, so a refused password leaves the link working; the key is then
 * consumed atomically, so of concurrent completions exactly one sets the password.
 * The e-mail counts as verified afterwards: the link proved it. `proof.presentedSessionId`: the
 * session the request carried, if any; on the first proof of an unverified address without the
 * account's own complete session, the API tokens, access clients and second factors made before
 * also end, whatever `tokens.revokeOnPasswordChange` says (see secureProvenMailbox). Omitting it
 * is the safe default. 401 INVALID_TOKEN, 400 WEAK_PASSWORD.
 */
export async function completePasswordReset(core: Core, key: string, newPassword: string, proof: MailboxProof = {}): Promise<UserRecord> {
  assertPasswordResetEnabled(core)
  const { user } = await findPasswordReset(core, key)
  await checkNewPassword(core, newPassword, user.email, 'newPassword')
  const now = core.config.clock.now()
  if ((await core.storage.verifications.consume(passwordResetPurpose, hashPasswordResetKey(key), now)) === null) {
    throw invalidPasswordResetKey()
  }
  // Before the new password: what the proof clears was set up before it, the new password after.
  await secureProvenMailbox(core, user, proof)
  await storePassword(core, user, newPassword)
  await revokeUserSessions(core, user.id)
  return user
}
