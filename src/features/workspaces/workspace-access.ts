import type { Core } from '../../core.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { MemberRecord } from '../../storage/ports.js'
import { roleHasPermission, roleMeets } from './workspace-roles.js'

/** What a guard or a workspace route needs of the caller's membership. */
export interface WorkspaceNeeds {
  /** This role or above ('owner' > 'admin' > 'member'; a host-defined role is met by itself, admins and owners). */
  role?: string | undefined
  /** A role holding this permission. */
  permission?: string | undefined
}

/** Ids are 22 characters; a longer one matches nothing and is not worth a lookup. */
const maxIdLength = 200

/**
 * The caller's membership of the workspace, checked against `needs`. 404 when the workspace does
 * not exist or the caller is not a member (a non-member learns nothing about it); 403
 * WORKSPACE_ROLE_MISSING when the role falls short.
 */
export async function requireMember(core: Core, workspaceId: string | undefined, userId: string, needs: WorkspaceNeeds = {}): Promise<MemberRecord> {
  const member = workspaceId === undefined || workspaceId.length > maxIdLength ? null : await core.storage.workspaces.getMember(workspaceId, userId)
  if (member === null) throw notFound('Workspace')
  if (needs.role !== undefined && !roleMeets(member.role, needs.role)) {
    throw new AuthError('WORKSPACE_ROLE_MISSING', { message: `This needs the '${needs.role}' role in the workspace.` })
  }
  if (needs.permission !== undefined && !roleHasPermission(core, member.role, needs.permission)) {
    throw new AuthError('WORKSPACE_ROLE_MISSING', { message: `This needs the '${needs.permission}' permission in the workspace.` })
  }
  return member
}

/** Whether the user is a member whose role holds `permission`; false for a non-member. */
export async function canInWorkspace(core: Core, workspaceId: string, userId: string, permission: string): Promise<boolean> {
  if (workspaceId.length > maxIdLength) return false
  const member = await core.storage.workspaces.getMember(workspaceId, userId)
  return member !== null && roleHasPermission(core, member.role, permission)
}
