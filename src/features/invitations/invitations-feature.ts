import { notFound } from '../../errors/auth-error.js'
import { defineFeature } from '../feature.js'
import { acceptInvitation, type AcceptedInvitation, declineInvitation } from './accept-invitation.js'
import { type CreateInvitationInput, createInvitation } from './create-invitation.js'
import { type CreatedInvitation, type ReceivedInvitation, toCreatedInvitation } from './invitation-listing.js'
import { invitationRoutes } from './invitation-routes.js'
import { listReceivedInvitations, listWorkspaceInvitations } from './list-invitations.js'

/** Invitations into workspaces (the workspaces feature's options configure them). */
export interface InvitationsApi {
  invitations: {
    /** As invitationCreate: `inviterId` must be an admin; the token is mailed, never answered. */
    create(input: CreateInvitationInput): Promise<CreatedInvitation>
    /** The workspace's pending invitations, oldest first, without tokens. */
    listByWorkspace(input: { workspaceId: string }): Promise<CreatedInvitation[]>
    /** The pending invitations to the user's verified e-mail, with their tokens (empty while unverified). */
    listForUser(input: { userId: string }): Promise<ReceivedInvitation[]>
    /** As invitationAccept, for the user with the invited e-mail. */
    accept(input: { userId: string; token: string; presentedSessionId?: string | undefined }): Promise<AcceptedInvitation>
    /** As invitationDecline. */
    decline(input: { userId: string; token: string }): Promise<void>
    /** Withdraws an invitation (no role check: the host's own call); false when it is gone. */
    revoke(input: { invitationId: string }): Promise<boolean>
  }
}

export const invitationsFeature = defineFeature({
  name: 'invitations',
  stores: ['invitations', 'workspaces'],
  routes: invitationRoutes,
  gate: (core): InvitationsApi => {
    const userOf = async (userId: string) => {
      const user = await core.storage.users.getById(userId)
      if (user === null) throw notFound('User')
      return user
    }
    return {
      invitations: {
        create: async (input) => toCreatedInvitation(await createInvitation(core, input)),
        listByWorkspace: async ({ workspaceId }) => (await listWorkspaceInvitations(core, workspaceId)).map(toCreatedInvitation),
        listForUser: async ({ userId }) => listReceivedInvitations(core, await userOf(userId)),
        accept: async ({ userId, token, presentedSessionId }) => acceptInvitation(core, await userOf(userId), token, { presentedSessionId }),
        decline: async ({ userId, token }) => declineInvitation(core, await userOf(userId), token),
        revoke: ({ invitationId }) => core.storage.invitations.delete(invitationId),
      },
    }
  },
})
