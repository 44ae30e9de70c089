import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { workspaceOptions } from './workspace-options.js'

/** How far up a role sits: owner > admin > member; host-defined roles sit with member. */
export function rankRole(role: string): number {
  if (role === 'owner') return 3
  if (role === 'admin') return 2
  return 1
}

/** Whether `role` is built in or one the host defined. */
export function isKnownRole(core: Core, role: string): boolean {
  return role === 'owner' || role === 'admin' || workspaceOptions.of(core).rolePermissions.has(role)
}

/** Whether a member with `role` holds `permission`: owners and admins hold every one, the others those configured. */
export function roleHasPermission(core: Core, role: string, permission: string): boolean {
  if (rankRole(role) >= 2) return true
  return workspaceOptions.of(core).rolePermissions.get(role)?.has(permission) === true
}

/** Whether a member with `role` meets a need for `needed`: a built-in rank or above, or that host-defined role (admins and owners too). */
export function roleMeets(role: string, needed: string): boolean {
  if (needed === 'owner' || needed === 'admin' || needed === 'member') return rankRole(role) >= rankRole(needed)
  return role === needed || rankRole(role) >= 2
}

/** 403 ROLE_NOT_GRANTABLE unless someone with `actorRole` may give or take `role` (never above their own). */
export function assertGrantable(actorRole: string, role: string): void {
  if (rankRole(role) > rankRole(actorRole)) throw new AuthError('ROLE_NOT_GRANTABLE')
}
