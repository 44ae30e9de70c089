import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { requireAnotherSignIn } from '../account/require-another-sign-in.js'
import { dropOrphanRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { findOwnPasskey } from './passkey-factor.js'

/**
 * Removes the user's passkey (recovery codes too when no other second factor is left). 409
 * LAST_SIGN_IN_METHOD when it is the account's last way in (see requireAnotherSignIn). 404 for an
 * unknown id or another user's.
 */
export async function removePasskey(core: Core, userId: string, id: string): Promise<void> {
  const factor = await findOwnPasskey(core, userId, id)
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  await requireAnotherSignIn(core, user, { factorId: factor.id })
  if (!(await core.storage.factors.delete(factor.id))) throw notFound('Passkey')
  await dropOrphanRecoveryCodes(core, userId)
}
