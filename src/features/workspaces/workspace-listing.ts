import type { MemberRecord, UserRecord, WorkspaceRecord } from '../../storage/ports.js'

/** A workspace as its member sees it: with their own role. */
export interface WorkspaceListing {
  id: string
  name: string
  role: string
  createdAt: string
}

/** A member as the workspace's members see them. */
export interface MemberListing {
  userId: string
  email: string
  name: string | null
  role: string
  joinedAt: string
}

export function toWorkspaceListing(workspace: WorkspaceRecord, member: MemberRecord): WorkspaceListing {
  return { id: workspace.id, name: workspace.name, role: member.role, createdAt: new Date(workspace.createdAt).toISOString() }
}

export function toMemberListing(member: MemberRecord, user: UserRecord): MemberListing {
  return { userId: member.userId, email: user.email, name: user.name, role: member.role, joinedAt: new Date(member.joinedAt).toISOString() }
}
