import type { Core } from '../../core.js'
import { AuthError, notFound } from '../../errors/auth-error.js'

/**
 * Removes one of the user's identities. 404 for an identity that is not theirs; 409
 * LAST_SIGN_IN_METHOD when the account has no password and no other identity, so nobody locks
 * themselves out.
 */
export async function unlinkIdentity(core: Core, input: { userId: string; identityId: string }): Promise<void> {
  const identities = await core.storage.identities.listByUser(input.userId)
  const identity = identities.find((each) => each.id === input.identityId)
  if (identity === undefined) throw notFound('Identity')
  const user = await core.storage.users.getById(input.userId)
  if (user === null) throw notFound('Identity')
  if (user.passwordHash === null && identities.length === 1) throw new AuthError('LAST_SIGN_IN_METHOD')
  await core.storage.identities.delete(identity.id)
}
