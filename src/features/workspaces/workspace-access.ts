import type { Core } from '../../core.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { MemberRecord } from '../../storage/ports.js'
import { roleHasPermission, roleMeets } from './workspace-roles.js'
import { workspaceOptions } from './workspace-options.js'

/** What a guard or a workspace route needs of the caller's membership. */
export interface WorkspaceNeeds {
  /** This role or above ('owner' > 'admin' > 'member'; a host-defined role is met by itself, admins and owners). */
  role?: string | undefined
  /** A role holding this permission. */
  permission?: string | undefined
}

/** Ids are 22 characters; a longer one matches nothing and is not worth a lookup. */
const maxIdLength = 200

/** 404, or with `workspaces.nonMemberAnswer: 'forbidden'` 403 for a workspace that exists. */
async function nonMemberRefusal(core: Core, workspaceId: string | undefined): Promise<AuthError> {
  const forbidden = core.featureOptions.has(workspaceOptions.key) && workspaceOptions.of(core).nonMemberAnswer === 'forbidden'
  if (!forbidden || workspaceId === undefined || workspaceId.length > maxIdLength || (await core.storage.workspaces.getById(workspaceId)) === null) return notFound('Workspace')
  return new AuthError('FORBIDDEN', { message: 'You are not a member of this workspace.' })
}

/**
 * The caller's membership of the workspace, checked against `needs`. 404 when the workspace does
 * not exist or the caller is not a member (a non-member learns nothing about it, unless
 * `workspaces.nonMemberAnswer` is 'forbidden'); 403
 * WORKSPACE_ROLE_MISSING when the role falls short.
 */
export async function requireMember(core: Core, workspaceId: string | undefined, userId: string, needs: WorkspaceNeeds = {}): Promise<MemberRecord> {
  const member = workspaceId === undefined || workspaceId.length > maxIdLength ? null : await core.storage.workspaces.getMember(workspaceId, userId)
  if (member === null) throw await nonMemberRefusal(core, workspaceId)
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
