import type { SamlIdentityRecord, SsoConfigRecord, WorkspaceStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { buildMember, buildWorkspace, createTestId } from './conformance-records.js'

export function describeWorkspaceStoreConformance(openStore: () => Promise<WorkspaceStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner

  async function createWithOwner(workspaces: WorkspaceStore) {
    const workspace = buildWorkspace()
    const owner = buildMember({ workspaceId: workspace.id, role: 'owner', joinedAt: workspace.createdAt })
    await workspaces.create(workspace, owner)
    return { workspace, owner }
  }

  function buildSsoConfig(workspaceId: string, overrides: Partial<SsoConfigRecord> = {}): SsoConfigRecord {
    return {
      workspaceId,
      idpEntityId: `https://idp.example.test/${createTestId()}`,
      idpSsoUrl: 'https://idp.example.test/sso',
      idpCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
      domains: [`${createTestId()}.example.test`],
      enabled: true,
      attributeMapping: { email: null, name: 'displayName' },
      allowIdpInitiated: false,
      updatedAt: Date.now(),
      ...overrides,
    }
  }

  function buildSamlIdentity(workspaceId: string, overrides: Partial<SamlIdentityRecord> = {}): SamlIdentityRecord {
    return { id: createTestId(), workspaceId, idpEntityId: 'https://idp.example.test', nameId: createTestId(), userId: createTestId(), linkedAt: Date.now(), ...overrides }
  }

  describe('workspace SSO configs', () => {
    it('saves, replaces, reads by workspace and by domain, toggles and deletes a config', async () => {
      const workspaces = await openStore()
      const { workspace } = await createWithOwner(workspaces)
      const config = buildSsoConfig(workspace.id)
      assert.equal(await workspaces.getSsoConfig(workspace.id), null)
      assert.equal(await workspaces.putSsoConfig(config), 'saved')
      assert.deepEqual(await workspaces.getSsoConfig(workspace.id), config)
      assert.deepEqual(await workspaces.findSsoConfigByDomain(config.domains[0]!), config)
      const replaced = buildSsoConfig(workspace.id, { domains: [`${createTestId()}.example.test`, `${createTestId()}.example.test`], attributeMapping: { email: 'mail', name: null } })
      assert.equal(await workspaces.putSsoConfig(replaced), 'saved')
      assert.deepEqual(await workspaces.getSsoConfig(workspace.id), replaced)
      assert.equal(await workspaces.findSsoConfigByDomain(config.domains[0]!), null)
      assert.deepEqual(await workspaces.findSsoConfigByDomain(replaced.domains[1]!), replaced)
      assert.equal(await workspaces.setSsoEnabled(workspace.id, false, replaced.updatedAt + 1), true)
      assert.deepEqual(await workspaces.getSsoConfig(workspace.id), { ...replaced, enabled: false, updatedAt: replaced.updatedAt + 1 })
      assert.equal(await workspaces.deleteSsoConfig(workspace.id), true)
      assert.equal(await workspaces.deleteSsoConfig(workspace.id), false)
      assert.equal(await workspaces.getSsoConfig(workspace.id), null)
      assert.equal(await workspaces.findSsoConfigByDomain(replaced.domains[0]!), null)
      assert.equal(await workspaces.setSsoEnabled(workspace.id, true, Date.now()), false)
    })

    it('gives a domain to one workspace only, also when two claim it at once', async () => {
      const workspaces = await openStore()
      const first = await createWithOwner(workspaces)
      const second = await createWithOwner(workspaces)
      const config = buildSsoConfig(first.workspace.id)
      assert.equal(await workspaces.putSsoConfig(config), 'saved')
      const clash = buildSsoConfig(second.workspace.id, { domains: [`${createTestId()}.example.test`, config.domains[0]!] })
      assert.equal(await workspaces.putSsoConfig(clash), 'domain_taken')
      assert.equal(await workspaces.getSsoConfig(second.workspace.id), null)
      assert.equal(await workspaces.findSsoConfigByDomain(clash.domains[0]!), null)
      const contested = `${createTestId()}.example.test`
      const racers = await Promise.all(Array.from({ length: 4 }, () => createWithOwner(workspaces)))
      const outcomes = await Promise.all(racers.map(({ workspace }) => workspaces.putSsoConfig(buildSsoConfig(workspace.id, { domains: [contested] }))))
      assert.equal(outcomes.filter((outcome) => outcome === 'saved').length, 1)
      assert.equal(outcomes.filter((outcome) => outcome === 'domain_taken').length, 3)
      assert.equal(await workspaces.putSsoConfig(buildSsoConfig(createTestId())), 'workspace_not_found')
    })

    it('deletes the config and identities with the workspace, and returns copies', async () => {
      const workspaces = await openStore()
      const { workspace } = await createWithOwner(workspaces)
      const config = buildSsoConfig(workspace.id)
      await workspaces.putSsoConfig(config)
      const identity = buildSamlIdentity(workspace.id)
      await workspaces.linkSamlIdentity(identity)
      const read = await workspaces.getSsoConfig(workspace.id)
      read?.domains.push('changed.example.test')
      read?.idpCertificates.push('changed')
      assert.deepEqual(await workspaces.getSsoConfig(workspace.id), config)
      assert.equal(await workspaces.delete(workspace.id), true)
      assert.equal(await workspaces.getSsoConfig(workspace.id), null)
      assert.equal(await workspaces.findSsoConfigByDomain(config.domains[0]!), null)
      assert.equal(await workspaces.getSamlIdentity(workspace.id, identity.idpEntityId, identity.nameId), null)
    })
  })

  describe('SAML identities', () => {
    it('links a subject once, also among concurrent links, and reads it by its key', async () => {
      const workspaces = await openStore()
      const { workspace } = await createWithOwner(workspaces)
      const identity = buildSamlIdentity(workspace.id)
      const outcomes = await raceCallers(() => workspaces.linkSamlIdentity({ ...identity, id: createTestId() }))
      assert.equal(outcomes.filter((outcome) => outcome === 'linked').length, 1)
      assert.equal(outcomes.filter((outcome) => outcome === 'taken').length, CONCURRENT_CALLER_COUNT - 1)
      const found = await workspaces.getSamlIdentity(workspace.id, identity.idpEntityId, identity.nameId)
      assert.deepEqual(found === null ? null : { ...found, id: identity.id }, identity)
      assert.equal(await workspaces.getSamlIdentity(workspace.id, identity.idpEntityId, `${identity.nameId}x`), null)
      assert.equal(await workspaces.getSamlIdentity(workspace.id, 'https://other.example.test', identity.nameId), null)
      const other = await createWithOwner(workspaces)
      assert.equal(await workspaces.getSamlIdentity(other.workspace.id, identity.idpEntityId, identity.nameId), null)
      assert.equal(await workspaces.linkSamlIdentity({ ...identity, id: createTestId(), workspaceId: other.workspace.id }), 'linked')
    })

    it('deletes a user identities in every workspace', async () => {
      const workspaces = await openStore()
      const first = await createWithOwner(workspaces)
      const second = await createWithOwner(workspaces)
      const userId = createTestId()
      const kept = buildSamlIdentity(first.workspace.id)
      await workspaces.linkSamlIdentity(buildSamlIdentity(first.workspace.id, { userId }))
      await workspaces.linkSamlIdentity(buildSamlIdentity(second.workspace.id, { userId }))
      await workspaces.linkSamlIdentity(kept)
      assert.equal(await workspaces.deleteSamlIdentitiesByUser(userId), 2)
      assert.equal(await workspaces.deleteSamlIdentitiesByUser(userId), 0)
      assert.deepEqual(await workspaces.getSamlIdentity(first.workspace.id, kept.idpEntityId, kept.nameId), kept)
    })
  })

  describe('workspaces', () => {
    it('creates a workspace with its owner, readable by id and by the owner', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      assert.deepEqual(await workspaces.getById(workspace.id), workspace)
      assert.deepEqual(await workspaces.getMember(workspace.id, owner.userId), owner)
      assert.deepEqual(await workspaces.listMembers(workspace.id), [owner])
      assert.deepEqual(await workspaces.listByUser(owner.userId), [{ workspace, member: owner }])
      assert.equal(await workspaces.getById(createTestId()), null)
      assert.equal(await workspaces.getMember(workspace.id, createTestId()), null)
    })

    it('adds members, lists them in join order, and lists a user memberships', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      const other = await createWithOwner(workspaces)
      const userId = createTestId()
      const admin = buildMember({ workspaceId: workspace.id, userId, role: 'admin', joinedAt: owner.joinedAt + 1 })
      const billing = buildMember({ workspaceId: other.workspace.id, userId, role: 'billing', joinedAt: owner.joinedAt + 2 })
      assert.equal(await workspaces.addMember(admin), 'added')
      assert.equal(await workspaces.addMember(billing), 'added')
      assert.deepEqual(await workspaces.listMembers(workspace.id), [owner, admin])
      assert.deepEqual(await workspaces.listByUser(userId), [
        { workspace, member: admin },
        { workspace: other.workspace, member: billing },
      ])
      assert.deepEqual(await workspaces.listByUser(createTestId()), [])
    })

    it('answers already_member for an existing member and keeps the first role', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      assert.equal(await workspaces.addMember({ ...owner, role: 'member' }), 'already_member')
      assert.deepEqual(await workspaces.getMember(workspace.id, owner.userId), owner)
    })

    it('adds a member exactly once among concurrent adds', async () => {
      const workspaces = await openStore()
      const { workspace } = await createWithOwner(workspaces)
      const member = buildMember({ workspaceId: workspace.id })
      const outcomes = await raceCallers(() => workspaces.addMember(member))
      assert.equal(outcomes.filter((outcome) => outcome === 'added').length, 1)
      assert.equal(outcomes.filter((outcome) => outcome === 'already_member').length, CONCURRENT_CALLER_COUNT - 1)
      assert.equal((await workspaces.listMembers(workspace.id)).length, 2)
    })

    it('answers workspace_not_found when adding to a workspace that does not exist', async () => {
      const workspaces = await openStore()
      assert.equal(await workspaces.addMember(buildMember()), 'workspace_not_found')
    })

    it('changes a role, and never takes the role of the last owner', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      const member = buildMember({ workspaceId: workspace.id, joinedAt: owner.joinedAt + 1 })
      await workspaces.addMember(member)
      assert.equal(await workspaces.updateMemberRole(workspace.id, owner.userId, 'admin'), 'last_owner')
      assert.equal(await workspaces.removeMember(workspace.id, owner.userId), 'last_owner')
      assert.equal(await workspaces.updateMemberRole(workspace.id, member.userId, 'owner'), 'updated')
      assert.equal(await workspaces.updateMemberRole(workspace.id, owner.userId, 'admin'), 'updated')
      assert.deepEqual(await workspaces.listMembers(workspace.id), [
        { ...owner, role: 'admin' },
        { ...member, role: 'owner' },
      ])
      assert.equal(await workspaces.updateMemberRole(workspace.id, createTestId(), 'admin'), 'not_found')
    })

    it('keeps one owner when every owner is demoted or removed at once', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      const owners = [owner]
      for (let index = 1; index < 6; index++) {
        const another = buildMember({ workspaceId: workspace.id, role: 'owner', joinedAt: owner.joinedAt + index })
        await workspaces.addMember(another)
        owners.push(another)
      }
      const outcomes = await Promise.all(
        owners.map((each, index) =>
          index % 2 === 0 ? workspaces.updateMemberRole(workspace.id, each.userId, 'member') : workspaces.removeMember(workspace.id, each.userId),
        ),
      )
      assert.equal(outcomes.filter((outcome) => outcome === 'last_owner').length, 1)
      const left = (await workspaces.listMembers(workspace.id)).filter((member) => member.role === 'owner')
      assert.equal(left.length, 1)
    })

    it('removes a member once', async () => {
      const workspaces = await openStore()
      const { workspace } = await createWithOwner(workspaces)
      const member = buildMember({ workspaceId: workspace.id })
      await workspaces.addMember(member)
      assert.equal(await workspaces.removeMember(workspace.id, member.userId), 'removed')
      assert.equal(await workspaces.removeMember(workspace.id, member.userId), 'not_found')
      assert.equal(await workspaces.getMember(workspace.id, member.userId), null)
      assert.deepEqual(await workspaces.listByUser(member.userId), [])
    })

    it('deletes a workspace with its memberships', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      const kept = await createWithOwner(workspaces)
      assert.equal(await workspaces.delete(workspace.id), true)
      assert.equal(await workspaces.delete(workspace.id), false)
      assert.equal(await workspaces.getById(workspace.id), null)
      assert.equal(await workspaces.getMember(workspace.id, owner.userId), null)
      assert.deepEqual(await workspaces.listMembers(workspace.id), [])
      assert.deepEqual(await workspaces.listByUser(owner.userId), [])
      assert.deepEqual(await workspaces.listMembers(kept.workspace.id), [kept.owner])
    })

    it('deletes a user memberships, last owner or not', async () => {
      const workspaces = await openStore()
      const first = await createWithOwner(workspaces)
      const second = await createWithOwner(workspaces)
      const userId = first.owner.userId
      await workspaces.addMember(buildMember({ workspaceId: second.workspace.id, userId }))
      assert.equal(await workspaces.deleteMembersByUser(userId), 2)
      assert.deepEqual(await workspaces.listByUser(userId), [])
      assert.deepEqual(await workspaces.listMembers(second.workspace.id), [second.owner])
      assert.equal(await workspaces.deleteMembersByUser(userId), 0)
    })

    it('returns copies', async () => {
      const workspaces = await openStore()
      const { workspace, owner } = await createWithOwner(workspaces)
      const read = await workspaces.getMember(workspace.id, owner.userId)
      if (read !== null) read.role = 'member'
      const listed = await workspaces.getById(workspace.id)
      if (listed !== null) listed.name = 'changed'
      assert.deepEqual(await workspaces.getMember(workspace.id, owner.userId), owner)
      assert.deepEqual(await workspaces.getById(workspace.id), workspace)
    })
  })
}
