import type { Core } from '../../core.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { UserRecord, WorkspaceRecord } from '../../storage/ports.js'
import { type MailboxProof, secureProvenMailbox } from '../account/secure-proven-mailbox.js'
import { addMember } from '../workspaces/manage-members.js'
import { assertInvitationOpen, findInvitation } from './invitation-token.js'

export interface AcceptedInvitation {
  workspace: { id: string; name: string }
  role: string
  /** The new member: the accepting user's id, and when they joined (ISO). */
  userId: string
  joinedAt: string
}

/** 403 INVITATION_EMAIL_MISMATCH unless the user is the one invited. */
function assertInvitee(user: UserRecord, email: string): void {
  if (user.email !== email) throw new AuthError('INVITATION_EMAIL_MISMATCH')
}

function toAccepted(workspace: WorkspaceRecord, role: string, userId: string, joinedAt: number): AcceptedInvitation {
  return { workspace: { id: workspace.id, name: workspace.name }, role, userId, joinedAt: new Date(joinedAt).toISOString() }
}

/**
 * The invited user joins with the invitation's role (never one from the request). The token is
 * used once: of concurrent accepts exactly one succeeds. Since only the mailbox got the token, the
 * user's e-mail counts as verified (see secureProvenMailbox; `proof` is the presented session).
 * 404 unknown, 403 INVITATION_EMAIL_MISMATCH, 410 INVITATION_USED or INVITATION_EXPIRED, 409 ALREADY_MEMBER.
 */
export async function acceptInvitation(core: Core, user: UserRecord, token: string, proof: MailboxProof): Promise<AcceptedInvitation> {
  const { invitation, workspace } = await findInvitation(core, token)
  assertInvitee(user, invitation.email)
  assertInvitationOpen(core, invitation)
  if ((await core.storage.workspaces.getMember(workspace.id, user.id)) !== null) throw new AuthError('ALREADY_MEMBER')
  if (!(await core.storage.invitations.accept(invitation.id, core.config.clock.now()))) {
    const latest = await core.storage.invitations.getById(invitation.id)
    throw new AuthError(latest === null || latest.acceptedAt !== null ? 'INVITATION_USED' : 'INVITATION_EXPIRED')
  }
  await addMember(core, { workspaceId: workspace.id, userId: user.id, role: invitation.role })
  await secureProvenMailbox(core, user, proof)
  const member = await core.storage.workspaces.getMember(workspace.id, user.id)
  return toAccepted(workspace, invitation.role, user.id, member?.joinedAt ?? core.config.clock.now())
}

/** The invited user turns it down: it is gone (204). 404 unknown or for another address, 410 once accepted. */
export async function declineInvitation(core: Core, user: UserRecord, token: string): Promise<void> {
  const { invitation } = await findInvitation(core, token)
  if (user.email !== invitation.email) throw notFound('Invitation')
  if (invitation.acceptedAt !== null) throw new AuthError('INVITATION_USED')
  await core.storage.invitations.delete(invitation.id)
}
