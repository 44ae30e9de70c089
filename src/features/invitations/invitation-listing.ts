import type { InvitationRecord, WorkspaceRecord } from '../../storage/ports.js'
import { maskEmail } from '../../http/email.js'

const iso = (time: number) => new Date(time).toISOString()

/** What the inviter sees: never the token, which only the mail carries. */
export interface CreatedInvitation {
  id: string
  email: string
  role: string
  expiresAt: string
}

/** What anyone holding the token sees (invitationGet): the address masked. */
export interface InvitationPreview {
  workspace: { id: string; name: string }
  email: string
  role: string
  expiresAt: string
}

/** An entry of the invitee's own listing: the one place besides the mail that shows the token. */
export interface ReceivedInvitation {
  id: string
  token: string
  workspace: { id: string; name: string }
  /** The invitee's own address (they are the caller). */
  email: string
  role: string
  invitedBy: string
  createdAt: string
  expiresAt: string
}

export function toCreatedInvitation(invitation: InvitationRecord): CreatedInvitation {
  return { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: iso(invitation.expiresAt) }
}

export function toInvitationPreview(invitation: InvitationRecord, workspace: WorkspaceRecord): InvitationPreview {
  return {
    workspace: { id: workspace.id, name: workspace.name },
    email: maskEmail(invitation.email),
    role: invitation.role,
    expiresAt: iso(invitation.expiresAt),
  }
}

export function toReceivedInvitation(invitation: InvitationRecord, workspace: WorkspaceRecord, token: string): ReceivedInvitation {
  return {
    id: invitation.id,
    token,
    workspace: { id: workspace.id, name: workspace.name },
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: iso(invitation.createdAt),
    expiresAt: iso(invitation.expiresAt),
  }
}
