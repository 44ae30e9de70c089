import { z } from 'zod'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ workspaces })`. */
export interface WorkspaceOptions {
  /**
   * Host-defined roles and the permissions each holds: `{ billing: ['invoice:read', 'invoice:approve'] }`.
   * They rank with 'member' (an admin may grant them); 'member' itself may be listed to give every
   * member permissions. 'owner' and 'admin' hold every permission and cannot be redefined.
   */
  roles?: Record<string, string[]>
  /**
   * What a signed-in non-member of an existing workspace gets from its routes: 'not_found' (default:
   * 404, as for a workspace that does not exist, so nobody learns which ids exist) or 'forbidden'
   * (403 FORBIDDEN, for an API that documents it, such as Toggl's). An unknown workspace is 404 either way.
   */
  nonMemberAnswer?: 'not_found' | 'forbidden'
  invitations?: {
    /** How long an invitation works. Default 604800 (7 days). */
    lifetimeSeconds?: number
    /** Your page that shows an invitation (on baseUrl); the mail links to it with `?token=`. Default: the invitationGet route's URL. */
    linkPath?: string
    /**
     * Whether invitationGet is for the invitee only: a signed-in caller whose e-mail is the invited
     * one gets the whole invitation (as invitationList shows it); anyone else 404, no credentials
     * 401. Default false: public, the e-mail masked (a page opened from the mail, before signing in).
     */
    inviteeOnlyGet?: boolean
    /**
     * Whether invitationAccept also takes an API token holding the manage scope (an API whose
     * clients call every route with their token, Pupil Cloud). Default false: joining a workspace
     * takes the person's own session (403 for any token).
     */
    acceptWithToken?: boolean
    rateLimits?: {
      /** Invitations per workspace. Default 100 per day. */
      perWorkspace?: RateLimitRule
      /** Invitations per inviting user. Default 30 per hour. */
      perInviter?: RateLimitRule
    }
  }
}

export interface ResolvedWorkspaceOptions {
  /** Permissions of 'member' and of each host-defined role. */
  rolePermissions: ReadonlyMap<string, ReadonlySet<string>>
  nonMemberAnswer: 'not_found' | 'forbidden'
  invitations: {
    lifetimeSeconds: number
    linkPath: string | null
    inviteeOnlyGet: boolean
    acceptWithToken: boolean
    rateLimits: { perWorkspace: RateLimitRule; perInviter: RateLimitRule }
  }
}

export const roleName = z.string().regex(/^[a-z][a-z0-9_:-]{0,39}$/, 'must be lower case letters, digits, _, : or -, at most 40')
const permission = z.string().min(1).max(100)

const workspaceOptionsSchema = z
  .object({
    roles: z
      .record(roleName, z.array(permission).max(100))
      .refine((roles) => !('owner' in roles) && !('admin' in roles), "'owner' and 'admin' hold every permission and cannot be redefined"),
    nonMemberAnswer: z.enum(['not_found', 'forbidden']),
    invitations: z
      .object({
        lifetimeSeconds: seconds.max(90 * 24 * 3600),
        linkPath: absolutePath,
        inviteeOnlyGet: z.boolean(),
        acceptWithToken: z.boolean(),
        rateLimits: z.object({ perWorkspace: rateLimitRule, perInviter: rateLimitRule }).partial().strict(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict()

function resolveWorkspaceOptions(options: WorkspaceOptions = {}): ResolvedWorkspaceOptions {
  const roles = { member: [], ...options.roles }
  return {
    rolePermissions: new Map(Object.entries(roles).map(([role, permissions]) => [role, new Set(permissions)])),
    nonMemberAnswer: options.nonMemberAnswer ?? 'not_found',
    invitations: {
      lifetimeSeconds: options.invitations?.lifetimeSeconds ?? 7 * 24 * 3600,
      linkPath: options.invitations?.linkPath ?? null,
      inviteeOnlyGet: options.invitations?.inviteeOnlyGet ?? false,
      acceptWithToken: options.invitations?.acceptWithToken ?? false,
      rateLimits: {
        perWorkspace: options.invitations?.rateLimits?.perWorkspace ?? { max: 100, windowSeconds: 24 * 3600 },
        perInviter: options.invitations?.rateLimits?.perInviter ?? { max: 30, windowSeconds: 3600 },
      },
    },
  }
}

/** `createGatehouse({ workspaces })`, resolved: read with `workspaceOptions.of(core)`. */
export const workspaceOptions = defineFeatureOptions('workspaces', workspaceOptionsSchema, (input: WorkspaceOptions | undefined) => resolveWorkspaceOptions(input))
