import { AuthError, type Gatehouse, type Membership, type UserRecord } from '../../src/index.js'

/** Pupil's models ([ext] `mgg/v2` docs/*.md) from gatehouse's answers: snake_case, ISO times. */

type Profile = Record<string, unknown>

/** The user's default workspace (PU-1): the one joined first, null before any. Memberships come oldest first. */
export function defaultWorkspaceOf(memberships: readonly Membership[]): string | null {
  return memberships[0]?.workspace.id ?? null
}

/** A user's Profile by id, and a WorkspaceMember from invitationAccept's answer: both read the stores. */
export interface ProfileBuilder {
  (userId: string): Promise<Profile>
  member(accepted: unknown): Promise<Record<string, unknown>>
}

/** What Pupil's User and Profile both say of a person: account, first identity, photo. */
function identityPart(user: UserRecord, identity: { provider: string; subject: string } | undefined): Record<string, unknown> {
  return {
    id: user.id,
    uid: identity?.subject ?? null,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    name: user.name,
    provider: identity?.provider ?? null,
    photo_url: user.profile?.photo_url ?? null,
  }
}

export function createProfileBuilder(gate: Gatehouse): ProfileBuilder {
  async function readUser(userId: string) {
    const [user, identities] = await Promise.all([gate.storage.users.getById(userId), gate.storage.identities.listByUser(userId)])
    // The user went away between the route's answer and this lookup (a concurrent unregister).
    if (user === null) throw new AuthError('NOT_FOUND', { message: 'The user could not be found.' })
    // The identity of the first sign-in: `provider` is the login's `type`, `uid` the provider's subject.
    return { user, identity: identities[0] }
  }

  const profileOf = async (userId: string): Promise<Profile> => {
    const [{ user, identity }, memberships] = await Promise.all([readUser(userId), gate.storage.workspaces.listByUser(userId)])
    const userWorkspaces = memberships.map(({ workspace, member }) => ({
      workspace_id: workspace.id,
      workspace: { id: workspace.id, name: workspace.name },
      role: member.role,
      created_at: new Date(member.joinedAt).toISOString(),
    }))
    return {
      ...identityPart(user, identity),
      product_updates_subscribed: user.profile?.product_updates_subscribed ?? false,
      onboarded_at: user.profile?.onboarded_at ?? null,
      default_workspace_id: defaultWorkspaceOf(memberships),
      user_workspaces: userWorkspaces,
    }
  }

  return Object.assign(profileOf, {
    async member(accepted: unknown) {
      const { workspace, role, userId, joinedAt } = accepted as { workspace: { id: string }; role: string; userId: string; joinedAt: string }
      const { user, identity } = await readUser(userId)
      return { workspace_id: workspace.id, user_id: userId, role, created_at: joinedAt, updated_at: joinedAt, user: { ...identityPart(user, identity), default_template_id: null } }
    },
  })
}

/** Pupil's Token: `token` (the secret) only where it is issued, P13 (PU-6). */
export function toPupilToken(listing: unknown, { withSecret = false } = {}): Record<string, unknown> {
  const token = listing as { id: string; createdAt: string; lastUsedAt: string | null; token?: string }
  const shown: Record<string, unknown> = { id: token.id, created_at: token.createdAt, last_used_at: token.lastUsedAt }
  if (withSecret) shown.token = token.token
  return shown
}

/** Pupil's WorkspaceInvitation, from the invitee's own view of it (invitationList, invitationGet). */
export function toPupilInvitation(received: unknown): Record<string, unknown> {
  const invitation = received as {
    id: string
    token: string
    workspace: { id: string }
    email: string
    role: string
    invitedBy: string
    createdAt: string
    expiresAt: string
  }
  return {
    id: invitation.id,
    token: invitation.token,
    workspace_id: invitation.workspace.id,
    email: invitation.email,
    role: invitation.role,
    created_by_user_id: invitation.invitedBy,
    created_at: invitation.createdAt,
    expires_at: invitation.expiresAt,
  }
}
