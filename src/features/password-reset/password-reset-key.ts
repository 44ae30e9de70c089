import type { Core } from '../../core.js'
import { createSecret } from '../../crypto/random-token.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { invalidToken } from '../../errors/credential-errors.js'
import type { UserRecord, VerificationRecord } from '../../storage/ports.js'
import { passwordResetOptions } from './password-reset-options.js'

export const passwordResetPurpose = 'password_reset'

/**
 * '<user id>.<32 random bytes>': the user id lets the info route find the key without using it up
 * (the store looks records up by purpose and subject); only the whole key's sha256 is stored.
 */
export function createPasswordResetKey(core: Core, userId: string): string {
  return `${userId}.${createSecret(core.config.random)}`
}

export function hashPasswordResetKey(key: string): string {
  return sha256Hex(key)
}

export interface FoundPasswordReset {
  record: VerificationRecord
  user: UserRecord
}

export const invalidPasswordResetKey = () => invalidToken('The reset link is invalid, already used or expired.')

/** 404 FEATURE_DISABLED unless password reset is on, e-mail delivery is configured and the mailed link has somewhere to go. */
export function assertPasswordResetEnabled(core: Core): void {
  const { enabled, linkPath } = passwordResetOptions.of(core)
  if (!enabled || core.config.delivery.email === null || (linkPath === null && !core.urls.has('passwordResetInfo'))) {
    throw new AuthError('FEATURE_DISABLED', { message: 'Password reset is not enabled.' })
  }
}

/** The live reset record and its user for a key, without using it up; 401 INVALID_TOKEN otherwise. */
export async function findPasswordReset(core: Core, key: string): Promise<FoundPasswordReset> {
  const dot = key.lastIndexOf('.')
  if (dot <= 0 || key.length > 512) throw invalidPasswordResetKey()
  const userId = key.slice(0, dot)
  const record = await core.storage.verifications.find(passwordResetPurpose, userId, core.config.clock.now())
  if (record === null || record.userId !== userId || !equalsConstantTime(hashPasswordResetKey(key), record.secretHash)) throw invalidPasswordResetKey()
  const user = await core.storage.users.getById(userId)
  // A key mailed to an address the account no longer has is void.
  if (user === null || user.email !== record.data?.email) throw invalidPasswordResetKey()
  return { record, user }
}
