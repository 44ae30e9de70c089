import type { Core } from '../../core.js'
import { AuthError, invalidRequest, notFound } from '../../errors/auth-error.js'
import type { MemberRecord } from '../../storage/ports.js'
import { requireMember } from './workspace-access.js'
import { assertGrantable, isKnownRole } from './workspace-roles.js'

/** 400 unless `role` is built in or host-defined. */
export function assertKnownRole(core: Core, role: string): void {
  if (!isKnownRole(core, role)) throw invalidRequest([{ path: 'role', message: `'${role}' is not a role of this gatehouse` }])
}

/** Adds a user to a workspace with `role` (the host's own call, or an accepted invitation). 409 ALREADY_MEMBER, 404 for a workspace that is gone. */
export async function addMember(core: Core, input: { workspaceId: string; userId: string; role: string }): Promise<MemberRecord> {
  assertKnownRole(core, input.role)
  const member: MemberRecord = { ...input, joinedAt: core.config.clock.now() }
  const outcome = await core.storage.workspaces.addMember(member)
  if (outcome === 'already_member') throw new AuthError('ALREADY_MEMBER')
  if (outcome === 'workspace_not_found') throw notFound('Workspace')
  return member
}

/**
 * An admin (or owner) changes a member's role: never to a role above their own, never for a
 * member above them, never the last owner's. 404 for non-members on either side; 403
 * WORKSPACE_ROLE_MISSING or ROLE_NOT_GRANTABLE; 409 LAST_OWNER.
 */
export async function updateMemberRole(core: Core, input: { workspaceId: string; actorId: string; userId: string; role: string }): Promise<MemberRecord> {
  const actor = await requireMember(core, input.workspaceId, input.actorId, { role: 'admin' })
  assertKnownRole(core, input.role)
  const target = await core.storage.workspaces.getMember(input.workspaceId, input.userId)
  if (target === null) throw notFound('Member')
  assertGrantable(actor.role, target.role)
  assertGrantable(actor.role, input.role)
  const outcome = await core.storage.workspaces.updateMemberRole(input.workspaceId, input.userId, input.role)
  if (outcome === 'not_found') throw notFound('Member')
  if (outcome === 'last_owner') throw new AuthError('LAST_OWNER')
  return { ...target, role: input.role }
}

/** A member leaves, or an admin removes a member not above them. The last owner stays (409 LAST_OWNER). */
export async function removeMember(core: Core, input: { workspaceId: string; actorId: string; userId: string }): Promise<void> {
  const leaving = input.actorId === input.userId
  const actor = await requireMember(core, input.workspaceId, input.actorId, leaving ? {} : { role: 'admin' })
  if (!leaving) {
    const target = await core.storage.workspaces.getMember(input.workspaceId, input.userId)
    if (target === null) throw notFound('Member')
    assertGrantable(actor.role, target.role)
  }
  const outcome = await core.storage.workspaces.removeMember(input.workspaceId, input.userId)
  if (outcome === 'not_found') throw notFound('Member')
  if (outcome === 'last_owner') throw new AuthError('LAST_OWNER')
}
