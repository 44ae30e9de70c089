import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { magicLinksAvailable } from '../magic-links/magic-link-redirect.js'
import { dropOrphanRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { lastSignInMethod } from './passkey-errors.js'
import { findOwnPasskey, listPasskeyFactors } from './passkey-factor.js'

/**
 * Removes the user's passkey (recovery codes too when no other second factor is left). 409
 * LAST_SIGN_IN_METHOD when it is the account's last way in: no password, no other passkey, and
 * no magic links to sign in by e-mail. 404 for an unknown id or another user's.
 */
export async function removePasskey(core: Core, userId: string, id: string): Promise<void> {
  const factor = await findOwnPasskey(core, userId, id)
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  const others = (await listPasskeyFactors(core, userId)).filter((passkey) => passkey.id !== factor.id)
  if (user.passwordHash === null && others.length === 0 && !magicLinksAvailable(core)) throw lastSignInMethod()
  if (!(await core.storage.factors.delete(factor.id))) throw notFound('Passkey')
  await dropOrphanRecoveryCodes(core, userId)
}
