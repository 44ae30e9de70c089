import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { notFound } from '../../errors/auth-error.js'
import { weakPassword } from '../../errors/credential-errors.js'
import { checkPasswordPolicy } from '../passwords/password-policy.js'
import { dropOrphanRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { factorNotEnabled } from './second-factor-errors.js'
import { throttleFactorAttempt } from './throttle-factor-attempt.js'

/**
 * Gives the user a secondary password (Cyclos's "secondary access password"): from then on a
 * login needs it as a second step. Replaces a previous one; follows the password policy and must
 * differ from the account password. Stored as argon2id.
 */
export async function setSecondaryPassword(core: Core, { userId, password }: { userId: string; password: string }): Promise<void> {
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  checkPasswordPolicy(core.config, password, user.email, 'password')
  if (user.passwordHash !== null && (await core.passwords.verify(user.passwordHash, password))) {
    throw weakPassword('password', ['must differ from the account password'])
  }
  const passwordHash = await core.passwords.hash(password)
  await core.storage.factors.deleteByUser(userId, 'secondary_password')
  const now = core.config.clock.now()
  await core.storage.factors.create({
    id: createId(core.config.random),
    userId,
    kind: 'secondary_password',
    secret: passwordHash,
    confirmedAt: now,
    lastUsedStep: null,
    createdAt: now,
    name: null,
    data: null,
    lastUsedAt: null,
  })
}

/** Removes the user's secondary password (recovery codes too when no other second factor is left). True when there was one. */
export async function removeSecondaryPassword(core: Core, { userId }: { userId: string }): Promise<boolean> {
  const removed = await core.storage.factors.deleteByUser(userId, 'secondary_password')
  await dropOrphanRecoveryCodes(core, userId)
  return removed > 0
}

/** Checks the secondary password: false when wrong, 429 once the attempt limit is reached, 400 FACTOR_NOT_ENABLED without one. */
export async function verifySecondaryPassword(core: Core, userId: string, password: string): Promise<boolean> {
  const [factor] = await core.storage.factors.listByUser(userId, 'secondary_password')
  if (factor === undefined) throw factorNotEnabled()
  return throttleFactorAttempt(core, userId, 'secondary_password', () => core.passwords.verify(factor.secret, password))
}
