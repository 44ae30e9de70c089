import type { WorkspaceStore } from '../storage/ports.js'
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
