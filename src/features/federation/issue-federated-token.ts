import { SignJWT } from 'jose'
import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { notFound } from '../../errors/auth-error.js'
import { toPublicUser } from '../../http/auth-context.js'
import type { UserRecord } from '../../storage/ports.js'
import { requireMember } from '../workspaces/workspace-access.js'
import { type FederationClaimsContext, type ResolvedAudience, federationOptions } from './federation-options.js'

export interface FederatedTokenInput {
  user: UserRecord
  /** The audience's name (the route's `:audience`). */
  audience: string
  /** The workspace the token speaks for; the user must be a member (404 otherwise). */
  workspaceId?: string | undefined
}

/** The configured audience by name; 404 for any other. */
export function findAudience(core: Core, name: string | undefined): ResolvedAudience {
  const audience = name === undefined ? undefined : federationOptions.of(core).audiences.get(name)
  if (audience === undefined) throw notFound('Audience')
  return audience
}

function defaultClaims(user: UserRecord, ctx: FederationClaimsContext): Record<string, unknown> {
  return { email: user.email, name: user.name, ...(ctx.workspace === undefined ? {} : { workspaceId: ctx.workspace.id, role: ctx.workspace.role }) }
}

/**
 * A JWT for a third-party service: the mapped claims, then `iss`, `sub` (the user id), `aud`
 * (exactly the audience), `iat`, `exp` and `jti`, which a mapping cannot override; `kid` names the
 * signing key. The key was imported when the options were resolved.
 */
export async function issueFederatedToken(core: Core, input: FederatedTokenInput): Promise<{ token: string; expiresAt: number }> {
  const audience = findAudience(core, input.audience)
  const { issuer } = federationOptions.of(core)
  let ctx: FederationClaimsContext = { audience: audience.name }
  if (input.workspaceId !== undefined) {
    const member = await requireMember(core, input.workspaceId, input.user.id)
    const workspace = await core.storage.workspaces.getById(member.workspaceId)
    if (workspace === null) throw notFound('Workspace')
    ctx = { ...ctx, workspace: { id: workspace.id, name: workspace.name, role: member.role } }
  }
  const claims = audience.claims === undefined ? defaultClaims(input.user, ctx) : await audience.claims(toPublicUser(input.user), ctx)
  const issuedAt = Math.floor(core.config.clock.now() / 1000)
  const expiresAt = issuedAt + audience.lifetimeSeconds
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: audience.algorithm, kid: audience.signing.keyId, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(input.user.id)
    .setAudience(audience.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(createId(core.config.random))
    .sign(audience.signing.key)
  return { token, expiresAt: expiresAt * 1000 }
}
