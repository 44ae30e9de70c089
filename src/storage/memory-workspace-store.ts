import { addToIndex, removeFromIndex } from './secondary-index.js'
import type { MemberRecord, Membership, SamlIdentityRecord, SsoConfigRecord, WorkspaceRecord, WorkspaceStore } from './ports.js'

/** NUL cannot occur in an id, so joined keys cannot collide. */
function memberKey(workspaceId: string, userId: string): string {
  return `${workspaceId}\u0000${userId}`
}

function copySsoConfig(config: SsoConfigRecord): SsoConfigRecord {
  return { ...config, idpCertificates: [...config.idpCertificates], domains: [...config.domains], attributeMapping: { ...config.attributeMapping } }
}

function identityKey(workspaceId: string, idpEntityId: string, nameId: string): string {
  return `${workspaceId}\u0000${idpEntityId}\u0000${nameId}`
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
  const ssoConfigs = new Map<string, SsoConfigRecord>()
  const workspaceByDomain = new Map<string, string>()
  const identitiesByKey = new Map<string, SamlIdentityRecord>()

  function dropSsoConfig(workspaceId: string): boolean {
    const config = ssoConfigs.get(workspaceId)
    if (config === undefined) return false
    for (const domain of config.domains) workspaceByDomain.delete(domain)
    ssoConfigs.delete(workspaceId)
    return true
  }

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
      dropSsoConfig(id)
      for (const [key, identity] of identitiesByKey) if (identity.workspaceId === id) identitiesByKey.delete(key)
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

    async getSsoConfig(workspaceId) {
      const config = ssoConfigs.get(workspaceId)
      return config === undefined ? null : copySsoConfig(config)
    },

    async putSsoConfig(config) {
      if (!workspacesById.has(config.workspaceId)) return 'workspace_not_found'
      const taken = config.domains.some((domain) => {
        const owner = workspaceByDomain.get(domain)
        return owner !== undefined && owner !== config.workspaceId
      })
      if (taken) return 'domain_taken'
      dropSsoConfig(config.workspaceId)
      ssoConfigs.set(config.workspaceId, copySsoConfig(config))
      for (const domain of config.domains) workspaceByDomain.set(domain, config.workspaceId)
      return 'saved'
    },

    async setSsoEnabled(workspaceId, enabled, updatedAt) {
      const config = ssoConfigs.get(workspaceId)
      if (config === undefined) return false
      config.enabled = enabled
      config.updatedAt = updatedAt
      return true
    },

    async deleteSsoConfig(workspaceId) {
      return dropSsoConfig(workspaceId)
    },

    async findSsoConfigByDomain(domain) {
      const workspaceId = workspaceByDomain.get(domain)
      const config = workspaceId === undefined ? undefined : ssoConfigs.get(workspaceId)
      return config === undefined ? null : copySsoConfig(config)
    },

    async linkSamlIdentity(identity) {
      const key = identityKey(identity.workspaceId, identity.idpEntityId, identity.nameId)
      if (identitiesByKey.has(key)) return 'taken'
      identitiesByKey.set(key, { ...identity })
      return 'linked'
    },

    async getSamlIdentity(workspaceId, idpEntityId, nameId) {
      const identity = identitiesByKey.get(identityKey(workspaceId, idpEntityId, nameId))
      return identity === undefined ? null : { ...identity }
    },

    async deleteSamlIdentitiesByUser(userId) {
      let count = 0
      for (const [key, identity] of identitiesByKey) {
        if (identity.userId !== userId) continue
        identitiesByKey.delete(key)
        count++
      }
      return count
    },
  }
}
