import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { revokeUserSessions } from '../sessions/revoke-session.js'
import type { UserRecord } from '../../storage/ports.js'
import { revokeTokensOnPasswordChange } from '../tokens/revoke-tokens-on-password-change.js'
import { confirmCurrentPassword } from './confirm-current-password.js'
import { checkNewPassword } from './check-new-password.js'

/**
 * Checks the current password (when the account has one), sets the new one and ends every other
 * session of the user, so a thief's session does not outlive the change.
 */
export async function changePassword(
  core: Core,
  user: UserRecord,
  currentPassword: string | undefined,
  newPassword: string,
  keepSessionId?: string,
): Promise<void> {
  await confirmCurrentPassword(core, user, currentPassword, 'currentPassword')
  await setPassword(core, user, newPassword)
  await revokeUserSessions(core, user.id, keepSessionId)
}

/** Sets a password through the policy and the breach check, without checking the old one (see storePassword). */
export async function setPassword(core: Core, user: UserRecord, newPassword: string): Promise<void> {
  await checkNewPassword(core, newPassword, user.email, 'newPassword')
  await storePassword(core, user, newPassword)
}

/**
 * Stores a password the caller already checked with checkNewPassword, ends every outstanding
 * reset key, magic link and code of the user, and revokes the user's API tokens and access
 * clients unless `tokens.revokeOnPasswordChange` is false.
 */
export async function storePassword(core: Core, user: UserRecord, newPassword: string): Promise<void> {
  const outcome = await core.storage.users.update(user.id, {
    passwordHash: await core.passwords.hash(newPassword),
    updatedAt: core.config.clock.now(),
  })
  if (outcome === 'not_found') throw notFound('User')
  // A secret sent before the change would let whoever changed it away from them (a thief, the old owner) back in.
  await core.storage.verifications.deleteByUser(user.id)
  await revokeTokensOnPasswordChange(core, user.id)
}
