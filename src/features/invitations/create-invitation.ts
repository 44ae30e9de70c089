import type { Core } from '../../core.js'
import { createId, createSecret, tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import { maskEmail, normalizeEmail } from '../../http/email.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import type { InvitationRecord } from '../../storage/ports.js'
import { assertKnownRole } from '../workspaces/manage-members.js'
import { requireMember } from '../workspaces/workspace-access.js'
import { workspaceOptions } from '../workspaces/workspace-options.js'
import { assertGrantable } from '../workspaces/workspace-roles.js'
import { sealInvitationToken } from './invitation-token.js'

export interface CreateInvitationInput {
  workspaceId: string
  /** Who invites: an admin or owner of the workspace. */
  inviterId: string
  email: string
  /** Default 'member'; never above the inviter's own role. */
  role?: string | undefined
  /** Preferred locales for the e-mail, best first. */
  locales?: readonly string[] | undefined
}

/** The mailed link: the host's page when configured, else the invitationGet route wherever it is mounted. */
function invitationLink(core: Core, pagePath: string | null, token: string): string {
  const { baseUrl } = core.config
  if (pagePath === null) return core.urls.of('invitationGet', { token }).href
  const url = new URL(`${baseUrl.pathname.replace(/\/$/, '')}${pagePath}`, baseUrl.origin)
  url.searchParams.set('token', token)
  return url.href
}

/**
 * Invites an e-mail into a workspace with a role, and mails the link after answering. The token (32
 * random bytes) is stored as its sha256, for lookup, and sealed with the secret, for the invitee's
 * own listing. A new invitation to the same address supersedes a pending one. 404 for a non-member
 * inviter, 403 WORKSPACE_ROLE_MISSING or ROLE_NOT_GRANTABLE, 400 for an unknown role, 409
 * ALREADY_MEMBER, 429 past the per-workspace or per-inviter cap.
 */
export async function createInvitation(core: Core, input: CreateInvitationInput): Promise<InvitationRecord> {
  const inviter = await requireMember(core, input.workspaceId, input.inviterId, { role: 'admin' })
  const role = input.role ?? 'member'
  assertKnownRole(core, role)
  assertGrantable(inviter.role, role)
  const email = normalizeEmail(input.email)
  const invitee = await core.storage.users.getByEmail(email)
  if (invitee !== null && (await core.storage.workspaces.getMember(input.workspaceId, invitee.id)) !== null) throw new AuthError('ALREADY_MEMBER')
  const options = workspaceOptions.of(core).invitations
  await enforceRateLimit(core, `invitation:workspace:${input.workspaceId}`, options.rateLimits.perWorkspace)
  await enforceRateLimit(core, `invitation:inviter:${input.inviterId}`, options.rateLimits.perInviter)
  const workspace = await core.storage.workspaces.getById(input.workspaceId)
  if (workspace === null) throw notFound('Workspace')

  for (const pending of await core.storage.invitations.listByEmail(email)) {
    if (pending.workspaceId === input.workspaceId && pending.acceptedAt === null) await core.storage.invitations.delete(pending.id)
  }
  const { clock, random } = core.config
  const now = clock.now()
  const id = createId(random)
  const token = createSecret(random, tokenPrefixes.invitation)
  const invitation: InvitationRecord = {
    id,
    workspaceId: input.workspaceId,
    email,
    role,
    tokenHash: sha256Hex(token),
    sealedToken: sealInvitationToken(core, id, token),
    invitedBy: input.inviterId,
    createdAt: now,
    expiresAt: now + options.lifetimeSeconds * 1000,
    acceptedAt: null,
  }
  await core.storage.invitations.create(invitation)
  const link = invitationLink(core, options.linkPath, token)
  const destination = { medium: 'email' as const, to: email, masked: maskEmail(email) }
  // After the answer: a failing mailer must not undo the invitation, which the invitee's listing still shows.
  core.background.run('invitation mail', () =>
    deliverMessage(core, destination, email, 'invitation', input.locales ?? [], {
      link,
      workspaceName: workspace.name,
      lifetimeMinutes: Math.ceil(options.lifetimeSeconds / 60),
    }),
  )
  return invitation
}
