import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { requireAnotherSignIn } from '../account/require-another-sign-in.js'

/**
 * Removes one of the user's identities. 404 for an identity that is not theirs; 409
 * LAST_SIGN_IN_METHOD when it is the account's last way in (see requireAnotherSignIn).
 */
export async function unlinkIdentity(core: Core, input: { userId: string; identityId: string }): Promise<void> {
  const identities = await core.storage.identities.listByUser(input.userId)
  const identity = identities.find((each) => each.id === input.identityId)
  if (identity === undefined) throw notFound('Identity')
  const user = await core.storage.users.getById(input.userId)
  if (user === null) throw notFound('Identity')
  await requireAnotherSignIn(core, user, { identityId: identity.id })
  await core.storage.identities.delete(identity.id)
}
