import type { Core } from '../../core.js'
import type { InvitationRecord, UserRecord } from '../../storage/ports.js'
import { type ReceivedInvitation, toReceivedInvitation } from './invitation-listing.js'
import { openInvitationToken } from './invitation-token.js'

const isPending = (core: Core, invitation: InvitationRecord) => invitation.acceptedAt === null && core.config.clock.now() < invitation.expiresAt

/**
 * The pending invitations to the user's e-mail, with their tokens. Empty until the e-mail is
 * verified: anyone may sign up with an address, and only its mailbox may see what was sent to it.
 */
export async function listReceivedInvitations(core: Core, user: UserRecord): Promise<ReceivedInvitation[]> {
  if (user.emailVerifiedAt === null) return []
  const pending = (await core.storage.invitations.listByEmail(user.email)).filter((invitation) => isPending(core, invitation))
  const workspaces = await Promise.all(pending.map((invitation) => core.storage.workspaces.getById(invitation.workspaceId)))
  return pending.flatMap((invitation, index) => {
    const workspace = workspaces[index]
    return workspace === null || workspace === undefined ? [] : [toReceivedInvitation(invitation, workspace, openInvitationToken(core, invitation))]
  })
}

/** The workspace's pending invitations, oldest first (for its admins; tokens are not shown). */
export async function listWorkspaceInvitations(core: Core, workspaceId: string): Promise<InvitationRecord[]> {
  return (await core.storage.invitations.listByWorkspace(workspaceId)).filter((invitation) => isPending(core, invitation))
}
