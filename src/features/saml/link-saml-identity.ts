import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { createId } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError, unauthenticated } from '../../errors/auth-error.js'
import { invalidCredentials, invalidToken } from '../../errors/credential-errors.js'
import { authenticate } from '../../http/authenticate.js'
import type { CredentialRequest } from '../../http/types.js'
import type { UserRecord, VerificationRecord } from '../../storage/ports.js'
import { confirmCurrentPassword } from '../passwords/confirm-current-password.js'
import { joinSsoWorkspace, samlLinkCodePurpose, samlLinkPurpose } from './saml-sign-in.js'

const invalidLink = () => invalidToken('The pending SSO link is unknown, used or expired: sign in through SSO again.')
const invalidCode = () => new AuthError('INVALID_CODE', { message: 'The confirmation code is wrong, used or expired: sign in through SSO again.' })

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

/** Links the identity a consumed pending record holds to `userId`, who also joins the workspace. */
async function completeLink(core: Core, used: VerificationRecord | null, userId: string, now: number): Promise<void> {
  const { workspaceId, idpEntityId, nameId } = used?.data ?? {}
  if (used === null || workspaceId === undefined || idpEntityId === undefined || nameId === undefined) throw invalidLink()
  const outcome = await core.storage.workspaces.linkSamlIdentity({ id: createId(core.config.random), workspaceId, idpEntityId, nameId, userId, linkedAt: now })
  if (outcome === 'taken' && (await core.storage.workspaces.getSamlIdentity(workspaceId, idpEntityId, nameId))?.userId !== userId) {
    throw new AuthError('CONFLICT', { message: 'This SSO identity is linked to another account.' })
  }
  await joinSsoWorkspace(core, workspaceId, userId)
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
  await completeLink(core, await core.storage.verifications.consume(samlLinkPurpose, secretHash, now), userId, now)
  return user
}

/**
 * Links the SSO identity whose confirmation code the ACS mailed (`saml.linkConfirmation: 'code'`)
 * to the caller's account: the caller proves it with its own complete session or Basic
 * credentials (401 otherwise), and the code must be the one mailed to it, unexpired and unused
 * (401 INVALID_CODE otherwise). The code works once.
 */
export async function confirmSamlLinkCode(core: Core, req: CredentialRequest, confirmationCode: string): Promise<UserRecord> {
  const auth = await authenticate(core, req)
  const proven = auth !== null && auth.token === undefined && (auth.context.method === 'basic' || (auth.session !== null && !auth.session.pendingSecondFactor))
  if (!proven) throw unauthenticated()
  const now = core.config.clock.now()
  const secretHash = sha256Hex(confirmationCode)
  const pending = await core.storage.verifications.find(samlLinkCodePurpose, auth.user.id, now)
  if (pending === null || !equalsConstantTime(pending.secretHash, secretHash)) throw invalidCode()
  const used = await core.storage.verifications.consume(samlLinkCodePurpose, secretHash, now)
  // Another request may have used the same code a moment earlier.
  if (used === null) throw invalidCode()
  await completeLink(core, used, auth.user.id, now)
  return auth.user
}
