import { z } from 'zod'
import { AuthError, notFound, secondFactorRequired, unauthenticated } from '../../errors/auth-error.js'
import type { Core } from '../../core.js'
import { authenticate } from '../../http/authenticate.js'
import type { Authenticated } from '../../http/auth-context.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import { requireManageScope } from '../tokens/token-grant.js'
import { workspaceOptions } from '../workspaces/workspace-options.js'
import { emailField } from '../../http/email.js'
import { defineRoute } from '../../http/route.js'
import { requireMember } from '../workspaces/workspace-access.js'
import { acceptInvitation, declineInvitation } from './accept-invitation.js'
import { createInvitation } from './create-invitation.js'
import { toCreatedInvitation, toInvitationPreview, toReceivedInvitation } from './invitation-listing.js'
import { assertInvitationOpen, findInvitation } from './invitation-token.js'
import { listReceivedInvitations } from './list-invitations.js'

const createBody = z.object({ email: emailField, role: z.string().min(1).max(40).optional(), locale: z.string().max(35).optional() })
const workspaceInvitationParams = z.object({ workspaceId: z.string(), id: z.string() })
const tokenParams = z.object({ token: z.string() })

/**
 * An API token could be replayed by whoever holds it; joining a workspace takes the person's own
 * session, unless `invitations.acceptWithToken` lets a token that may act fully for its user.
 */
function assertMayAccept(core: Core, auth: Authenticated): void {
  if (auth.token === undefined) return
  if (!workspaceOptions.of(core).invitations.acceptWithToken) throw new AuthError('FORBIDDEN', { message: 'Accept an invitation signed in, not with an API token.' })
  requireManageScope(core, auth.token)
}

/**
 * invitationGet with `inviteeOnlyGet`: the route stays public in the table (its default), so the
 * caller is checked here as a user route would be: credentials (401), no pending second factor.
 */
async function answerInvitee(core: Core, req: AuthRequest, token: string): Promise<AuthResponse> {
  const auth = await authenticate(core, req)
  if (auth === null) throw unauthenticated()
  if (auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
  const { invitation, workspace } = await findInvitation(core, token)
  // Someone else's invitation is as unknown as a wrong token.
  if (invitation.email !== auth.user.email) throw notFound('Invitation')
  assertInvitationOpen(core, invitation)
  return { status: 200, body: toReceivedInvitation(invitation, workspace, token), headers: [['cache-control', 'no-store']] }
}

export const invitationRoutes = [
  defineRoute({
    name: 'invitationCreate',
    method: 'POST',
    path: '/workspaces/:workspaceId/invitations',
    access: 'user',
    input: { params: z.object({ workspaceId: z.string() }), body: createBody },
    async handle({ core, auth, input }) {
      const { email, role, locale } = input.body
      const invitation = await createInvitation(core, {
        workspaceId: input.params.workspaceId,
        inviterId: auth.user.id,
        email,
        role,
        locales: locale === undefined ? [] : [locale],
      })
      return { status: 201, body: toCreatedInvitation(invitation) }
    },
  }),
  defineRoute({
    name: 'invitationRevoke',
    method: 'DELETE',
    path: '/workspaces/:workspaceId/invitations/:id',
    access: 'user',
    input: { params: workspaceInvitationParams },
    async handle({ core, auth, input }) {
      const { workspaceId, id } = input.params
      await requireMember(core, workspaceId, auth.user.id, { role: 'admin' })
      const invitation = id.length > 200 ? null : await core.storage.invitations.getById(id)
      if (invitation === null || invitation.workspaceId !== workspaceId || !(await core.storage.invitations.delete(id))) throw notFound('Invitation')
      return { status: 204 }
    },
  }),
  defineRoute({
    name: 'invitationList',
    method: 'GET',
    path: '/invitations',
    access: 'user',
    // The listing shows tokens, so a token caller needs the manage scope as for its own tokens.
    manageScope: true,
    async handle({ core, auth }) {
      return { status: 200, body: await listReceivedInvitations(core, auth.user), headers: [['cache-control', 'no-store']] }
    },
  }),
  defineRoute({
    name: 'invitationGet',
    method: 'GET',
    path: '/invitations/:token',
    access: 'public',
    input: { params: tokenParams },
    async handle({ core, req, input }) {
      if (workspaceOptions.of(core).invitations.inviteeOnlyGet) return answerInvitee(core, req, input.params.token)
      const { invitation, workspace } = await findInvitation(core, input.params.token)
      assertInvitationOpen(core, invitation)
      return { status: 200, body: toInvitationPreview(invitation, workspace) }
    },
  }),
  defineRoute({
    name: 'invitationAccept',
    method: 'POST',
    path: '/invitations/:token/accept',
    access: 'user',
    input: { params: tokenParams },
    async handle({ core, req, auth, input }) {
      assertMayAccept(core, auth)
      const accepted = await acceptInvitation(core, auth.user, input.params.token, { presentedSessionId: auth.session?.id })
      await core.recordEvent(
        { type: 'invitation_accepted', role: accepted.role, userId: auth.user.id, sessionId: auth.session?.id, workspaceId: accepted.workspace.id },
        req,
      )
      return { status: 200, body: accepted }
    },
  }),
  defineRoute({
    name: 'invitationDecline',
    method: 'DELETE',
    path: '/invitations/:token',
    access: 'user',
    input: { params: tokenParams },
    async handle({ core, auth, input }) {
      await declineInvitation(core, auth.user, input.params.token)
      return { status: 204 }
    },
  }),
]
