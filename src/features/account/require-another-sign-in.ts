import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import type { UserRecord } from '../../storage/ports.js'
import { magicLinksAvailable } from '../magic-links/magic-link-redirect.js'

/** What is about to go: one passkey (a factor id) or one linked identity. */
export interface LeavingSignIn {
  factorId?: string | undefined
  identityId?: string | undefined
}

/**
 * Refuses (409 LAST_SIGN_IN_METHOD) to remove a passkey or an identity when nothing else would let
 * the user in: no password, no other passkey, no other linked identity, and no magic links. One
 * rule for every way in, so removing either kind can never lock the account out.
 */
export async function requireAnotherSignIn(core: Core, user: UserRecord, leaving: LeavingSignIn): Promise<void> {
  if (user.passwordHash !== null || magicLinksAvailable(core)) return
  const passkeys = await core.storage.factors.listByUser(user.id, 'passkey')
  if (passkeys.some((passkey) => passkey.id !== leaving.factorId)) return
  const identities = await core.storage.identities.listByUser(user.id)
  if (identities.some((identity) => identity.id !== leaving.identityId)) return
  throw new AuthError('LAST_SIGN_IN_METHOD')
}
