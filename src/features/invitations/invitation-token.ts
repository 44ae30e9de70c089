import type { Core } from '../../core.js'
import { openSecret, sealSecret } from '../../crypto/secret-box.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { InvitationRecord, WorkspaceRecord } from '../../storage/ports.js'

/** Binds a sealed token to its invitation, so a sealed value copied to another record does not open. */
const sealContext = (invitationId: string) => `invitation:${invitationId}`

export function sealInvitationToken(core: Core, invitationId: string, token: string): string {
  return sealSecret(core.config, token, sealContext(invitationId))
}

export function openInvitationToken(core: Core, invitation: InvitationRecord): string {
  return openSecret(core.config, invitation.sealedToken, sealContext(invitation.id))
}

/** Tokens are 'ghi_' + 43 characters; anything much longer matches nothing and is not worth hashing. */
const maxTokenLength = 200

/** The invitation behind a token with its workspace, whatever its state; 404 when either is unknown. */
export async function findInvitation(core: Core, token: string): Promise<{ invitation: InvitationRecord; workspace: WorkspaceRecord }> {
  const invitation = token.length > maxTokenLength ? null : await core.storage.invitations.getByTokenHash(sha256Hex(token))
  const workspace = invitation === null ? null : await core.storage.workspaces.getById(invitation.workspaceId)
  if (invitation === null || workspace === null) throw notFound('Invitation')
  return { invitation, workspace }
}

/** 410 INVITATION_USED or INVITATION_EXPIRED unless the invitation may still be accepted. */
export function assertInvitationOpen(core: Core, invitation: InvitationRecord): void {
  if (invitation.acceptedAt !== null) throw new AuthError('INVITATION_USED')
  if (core.config.clock.now() >= invitation.expiresAt) throw new AuthError('INVITATION_EXPIRED')
}
