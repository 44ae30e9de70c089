import { addToIndex, removeFromIndex } from './secondary-index.js'
import type { MemberRecord, Membership, WorkspaceRecord, WorkspaceStore } from './ports.js'

/** NUL cannot occur in an id, so joined keys cannot collide. */
function memberKey(workspaceId: string, userId: string): string {
  return `${workspaceId}\u0000${userId}`
}

function byJoinOrder(a: { member: MemberRecord; seq: number }, b: { member: MemberRecord; seq: number }): number {
  return a.member.joinedAt - b.member.joinedAt || a.seq - b.seq
}

export function createMemoryWorkspaceStore(): WorkspaceStore {
  const workspacesById = new Map<string, WorkspaceRecord>()
  // seq keeps insertion order among members who joined in the same millisecond.
  const membersByKey = new Map<string, { member: MemberRecord; seq: number }>()
  const keysByWorkspace = new Map<string, Set<string>>()
  const keysByUser = new Map<string, Set<string>>()
  let nextSeq = 0

  function insertMember(member: MemberRecord): void {
    const key = memberKey(member.workspaceId, member.userId)
    membersByKey.set(key, { member: { ...member }, seq: nextSeq++ })
    addToIndex(keysByWorkspace, member.workspaceId, key)
    addToIndex(keysByUser, member.userId, key)
  }

  function removeMemberEntry(member: MemberRecord): void {
    const key = memberKey(member.workspaceId, member.userId)
    membersByKey.delete(key)
    removeFromIndex(keysByWorkspace, member.workspaceId, key)
    removeFromIndex(keysByUser, member.userId, key)
  }

  function entriesOf(index: Map<string, Set<string>>, id: string) {
    return [...(index.get(id) ?? [])].flatMap((key) => membersByKey.get(key) ?? []).sort(byJoinOrder)
  }

  /** True when taking the owner role from this member would leave the workspace without one. */
  function isLastOwner(member: MemberRecord): boolean {
    if (member.role !== 'owner') return false
    return entriesOf(keysByWorkspace, member.workspaceId).filter((entry) => entry.member.role === 'owner').length === 1
  }

  return {
    async create(workspace, owner) {
      workspacesById.set(workspace.id, { ...workspace })
      insertMember(owner)
    },

    async getById(id) {
      const workspace = workspacesById.get(id)
      return workspace === undefined ? null : { ...workspace }
    },

    async delete(id) {
      if (!workspacesById.delete(id)) return false
      for (const entry of entriesOf(keysByWorkspace, id)) removeMemberEntry(entry.member)
      return true
    },

    async addMember(member) {
      if (!workspacesById.has(member.workspaceId)) return 'workspace_not_found'
      if (membersByKey.has(memberKey(member.workspaceId, member.userId))) return 'already_member'
      insertMember(member)
      return 'added'
    },

    async getMember(workspaceId, userId) {
      const entry = membersByKey.get(memberKey(workspaceId, userId))
      return entry === undefined ? null : { ...entry.member }
    },

    async listMembers(workspaceId) {
      return entriesOf(keysByWorkspace, workspaceId).map((entry) => ({ ...entry.member }))
    },

    async listByUser(userId) {
      return entriesOf(keysByUser, userId).flatMap((entry): Membership[] => {
        const workspace = workspacesById.get(entry.member.workspaceId)
        return workspace === undefined ? [] : [{ workspace: { ...workspace }, member: { ...entry.member } }]
      })
    },

    async updateMemberRole(workspaceId, userId, role) {
      const entry = membersByKey.get(memberKey(workspaceId, userId))
      if (entry === undefined) return 'not_found'
      if (role !== 'owner' && isLastOwner(entry.member)) return 'last_owner'
      entry.member.role = role
      return 'updated'
    },

    async removeMember(workspaceId, userId) {
      const entry = membersByKey.get(memberKey(workspaceId, userId))
      if (entry === undefined) return 'not_found'
      if (isLastOwner(entry.member)) return 'last_owner'
      removeMemberEntry(entry.member)
      return 'removed'
    },

    async deleteMembersByUser(userId) {
      const entries = entriesOf(keysByUser, userId)
      for (const entry of entries) removeMemberEntry(entry.member)
      return entries.length
    },
  }
}
