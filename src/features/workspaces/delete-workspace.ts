import type { Core } from '../../core.js'
import { rankRole } from './workspace-roles.js'

/** Removes a workspace with its members and invitations. False when it did not exist. */
export async function deleteWorkspace(core: Core, workspaceId: string): Promise<boolean> {
  await core.storage.invitations.deleteByWorkspace(workspaceId)
  return core.storage.workspaces.delete(workspaceId)
}

/**
 * A user's part of the workspaces, for unregister: their memberships and the invitations they sent
 * or got go. A workspace they alone owned passes to the longest-standing admin (else member), so
 * the others keep it; one they were alone in is deleted.
 */
export async function deleteUserWorkspaces(core: Core, userId: string, email: string): Promise<void> {
  for (const { member } of await core.storage.workspaces.listByUser(userId)) {
    if (member.role !== 'owner') continue
    const others = (await core.storage.workspaces.listMembers(member.workspaceId)).filter((each) => each.userId !== userId)
    if (others.some((each) => each.role === 'owner')) continue
    const heir = [...others].sort((a, b) => rankRole(b.role) - rankRole(a.role))[0]
    if (heir === undefined) await deleteWorkspace(core, member.workspaceId)
    else await core.storage.workspaces.updateMemberRole(member.workspaceId, heir.userId, 'owner')
  }
  await core.storage.workspaces.deleteMembersByUser(userId)
  await core.storage.invitations.deleteByUser(userId, email)
}
