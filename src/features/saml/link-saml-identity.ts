import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { createId } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError, unauthenticated } from '../../errors/auth-error.js'
import { invalidCredentials, invalidToken } from '../../errors/credential-errors.js'
import { authenticate } from '../../http/authenticate.js'
import type { CredentialRequest } from '../../http/types.js'
import type { UserRecord } from '../../storage/ports.js'
import { confirmCurrentPassword } from '../passwords/confirm-current-password.js'
import { joinSsoWorkspace, samlLinkPurpose } from './saml-sign-in.js'

const invalidLink = () => invalidToken('The pending SSO link is unknown, used or expired: sign in through SSO again.')

/**
 * Whether the caller proved the account: its own complete session, Basic credentials of it, or
 * its password. 401 otherwise. An account without a password proves itself only with a session.
 */
async function proveAccount(core: Core, req: CredentialRequest, user: UserRecord, password: string | undefined): Promise<void> {
  const auth = await authenticate(core, req)
  if (auth !== null && auth.token === undefined && auth.user.id === user.id) {
    if (auth.context.method === 'basic' || (auth.session !== null && !auth.session.pendingSecondFactor)) return
  }
  if (password === undefined) throw unauthenticated()
  if (user.passwordHash === null) throw invalidCredentials('This account has no password: sign in to it first, then link.')
  await confirmCurrentPassword(core, user, password, 'password')
}

/**
 * Links the SSO identity the ACS kept waiting (`linkToken`, from its cookie) to the account it
 * named, once the caller proves that account; the user also joins the workspace. The link is used
 * once. 401 INVALID_TOKEN for an unknown, used or expired link; 401 without proof.
 */
export async function linkSamlIdentity(core: Core, req: CredentialRequest, input: { linkToken: string; password?: string | undefined }): Promise<UserRecord> {
  const dot = input.linkToken.indexOf('.')
  if (dot <= 0 || input.linkToken.length > 300) throw invalidLink()
  const userId = input.linkToken.slice(0, dot)
  const secretHash = sha256Hex(input.linkToken.slice(dot + 1))
  const now = core.config.clock.now()
  const pending = await core.storage.verifications.find(samlLinkPurpose, userId, now)
  if (pending === null || !equalsConstantTime(pending.secretHash, secretHash)) throw invalidLink()
  const user = await core.storage.users.getById(userId)
  if (user === null) throw invalidLink()
  await proveAccount(core, req, user, input.password)
  const used = await core.storage.verifications.consume(samlLinkPurpose, secretHash, now)
  const { workspaceId, idpEntityId, nameId } = used?.data ?? {}
  if (used === null || workspaceId === undefined || idpEntityId === undefined || nameId === undefined) throw invalidLink()
  const outcome = await core.storage.workspaces.linkSamlIdentity({ id: createId(core.config.random), workspaceId, idpEntityId, nameId, userId, linkedAt: now })
  if (outcome === 'taken' && (await core.storage.workspaces.getSamlIdentity(workspaceId, idpEntityId, nameId))?.userId !== userId) {
    throw new AuthError('CONFLICT', { message: 'This SSO identity is linked to another account.' })
  }
  await joinSsoWorkspace(core, workspaceId, userId)
  return user
}
