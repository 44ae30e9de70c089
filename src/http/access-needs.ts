import { z } from 'zod'
import type { Authenticated } from './auth-context.js'
import type { Core } from '../core.js'
import { scopeMissing, secondFactorRequired } from '../errors/auth-error.js'
import { ConfigError } from '../errors/config-error.js'
import { type WorkspaceNeeds, requireMember } from '../features/workspaces/workspace-access.js'
import { isKnownRole } from '../features/workspaces/workspace-roles.js'
import type { CredentialRequest } from './types.js'

/** What a guarded route needs beyond a signed-in user. */
export interface GuardNeeds {
  /** Every one of these scopes; a session has all scopes, a token only those it was given. */
  scopes?: string[] | undefined
  /** A second factor used in this session. */
  secondFactor?: boolean | undefined
  /** A second factor used within this many seconds (step-up for sensitive actions). */
  secondFactorWithinSeconds?: number | undefined
  /** This role or above in the workspace named by the route's `:workspaceId` ('owner' > 'admin' > 'member', or a host-defined role). */
  workspaceRole?: string | undefined
  /** A role holding this permission in the workspace named by the route's `:workspaceId`. */
  workspacePermission?: string | undefined
}

/** Needs checked once, in the form the per-request check wants. */
export interface CompiledNeeds {
  scopes: readonly string[]
  wantsSecondFactor: boolean
  withinMs: number | undefined
  /** Set when the needs name a workspace role or permission. */
  workspace: WorkspaceNeeds | undefined
}

const needsSchema = z
  .object({
    scopes: z.array(z.string().min(1)),
    secondFactor: z.boolean(),
    secondFactorWithinSeconds: z.number().int().positive(),
    workspaceRole: z.string().min(1),
    workspacePermission: z.string().min(1),
  })
  .partial()
  .strict()

/** Factor methods that count as a second factor. */
export const secondFactorMethods: ReadonlySet<string> = new Set(['totp', 'recovery_code', 'otp', 'secondary_password', 'passkey'])

/** Validates `needs` once (ConfigError naming `where`), a workspace role against the configured roles. */
export function compileNeeds(core: Core, needs: GuardNeeds, where: string): CompiledNeeds {
  const parsed = needsSchema.safeParse(needs)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${where} ${issue.path.join('.')}: ${issue.message}`))
  const { workspaceRole: role, workspacePermission: permission } = needs
  if (role !== undefined && !isKnownRole(core, role)) throw new ConfigError([`${where} workspaceRole: '${role}' is not a role (owner, admin, member or one in workspaces.roles)`])
  const withinMs = needs.secondFactorWithinSeconds === undefined ? undefined : needs.secondFactorWithinSeconds * 1000
  return {
    scopes: needs.scopes ?? [],
    wantsSecondFactor: needs.secondFactor === true || withinMs !== undefined,
    withinMs,
    workspace: role === undefined && permission === undefined ? undefined : { role, permission },
  }
}

/**
 * The workspace part of `needs`, read from the route's `:workspaceId` (else the workspace header's): the caller's workspace id and
 * role, or undefined when the needs name none. 404 for a non-member, 403 WORKSPACE_ROLE_MISSING.
 */
export async function checkWorkspaceNeeds(
  core: Core,
  auth: Authenticated,
  needs: CompiledNeeds,
  req: CredentialRequest,
): Promise<{ workspaceId: string; role: string } | undefined> {
  if (needs.workspace === undefined) return undefined
  // A route without ':workspaceId' checks the workspace the workspace header named (authenticate.workspaceHeader).
  const member = await requireMember(core, req.params?.workspaceId ?? auth.context.workspaceId, auth.user.id, needs.workspace)
  return { workspaceId: member.workspaceId, role: member.role }
}

/** 403 SCOPE_MISSING or SECOND_FACTOR_REQUIRED unless the caller has what `needs` asks for. */
export function checkNeeds(core: Core, auth: Authenticated, needs: CompiledNeeds): void {
  const { context, factors } = auth
  if (context.scopes !== undefined) {
    for (const scope of needs.scopes) {
      if (!context.scopes.includes(scope)) throw scopeMissing(scope)
    }
  }
  if (needs.wantsSecondFactor) {
    const oldest = needs.withinMs === undefined ? Number.NEGATIVE_INFINITY : core.config.clock.now() - needs.withinMs
    if (!factors.some((factor) => secondFactorMethods.has(factor.method) && factor.at >= oldest)) throw secondFactorRequired()
  }
}
