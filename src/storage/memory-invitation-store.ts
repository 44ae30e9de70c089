import { addToIndex, removeFromIndex } from './secondary-index.js'
import type { InvitationRecord, InvitationStore } from './ports.js'

export function createMemoryInvitationStore(): InvitationStore {
  // A Map keeps insertion order, which is creation order for listings.
  const invitationsById = new Map<string, InvitationRecord>()
  const idsByTokenHash = new Map<string, string>()
  const idsByWorkspace = new Map<string, Set<string>>()
  const idsByEmail = new Map<string, Set<string>>()

  function removeInvitation(invitation: InvitationRecord): void {
    invitationsById.delete(invitation.id)
    idsByTokenHash.delete(invitation.tokenHash)
    removeFromIndex(idsByWorkspace, invitation.workspaceId, invitation.id)
    removeFromIndex(idsByEmail, invitation.email, invitation.id)
  }

  function select(ids: Set<string> | undefined): InvitationRecord[] {
    return [...(ids ?? [])]
      .flatMap((id) => invitationsById.get(id) ?? [])
      .sort((a, b) => a.createdAt - b.createdAt)
  }

  const copy = (invitation: InvitationRecord | undefined) => (invitation === undefined ? null : { ...invitation })

  return {
    async create(invitation) {
      invitationsById.set(invitation.id, { ...invitation })
      idsByTokenHash.set(invitation.tokenHash, invitation.id)
      addToIndex(idsByWorkspace, invitation.workspaceId, invitation.id)
      addToIndex(idsByEmail, invitation.email, invitation.id)
    },

    getById: async (id) => copy(invitationsById.get(id)),

    async getByTokenHash(tokenHash) {
      const id = idsByTokenHash.get(tokenHash)
      return id === undefined ? null : copy(invitationsById.get(id))
    },

    listByWorkspace: async (workspaceId) => select(idsByWorkspace.get(workspaceId)).map((invitation) => ({ ...invitation })),

    listByEmail: async (email) => select(idsByEmail.get(email)).map((invitation) => ({ ...invitation })),

    async accept(id, now) {
      const invitation = invitationsById.get(id)
      if (invitation === undefined || invitation.acceptedAt !== null || now >= invitation.expiresAt) return false
      invitation.acceptedAt = now
      return true
    },

    async delete(id) {
      const invitation = invitationsById.get(id)
      if (invitation === undefined) return false
      removeInvitation(invitation)
      return true
    },

    async deleteByWorkspace(workspaceId) {
      const invitations = select(idsByWorkspace.get(workspaceId))
      for (const invitation of invitations) removeInvitation(invitation)
      return invitations.length
    },

    async deleteByUser(userId, email) {
      const invitations = [...invitationsById.values()].filter((invitation) => invitation.invitedBy === userId)
      const addressed = select(idsByEmail.get(email))
      const gone = new Set([...invitations, ...addressed])
      for (const invitation of gone) removeInvitation(invitation)
      return gone.size
    },
  }
}
