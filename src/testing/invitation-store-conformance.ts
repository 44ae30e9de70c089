import type { InvitationStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildInvitation, createTestHash, createTestId } from './conformance-records.js'

export function describeInvitationStoreConformance(openStore: () => Promise<InvitationStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('invitations', () => {
    it('creates an invitation readable by id and by token hash', async () => {
      const invitations = await openStore()
      const invitation = buildInvitation()
      await invitations.create(invitation)
      assert.deepEqual(await invitations.getById(invitation.id), invitation)
      assert.deepEqual(await invitations.getByTokenHash(invitation.tokenHash), invitation)
      assert.equal(await invitations.getById(createTestId()), null)
      assert.equal(await invitations.getByTokenHash(createTestHash()), null)
    })

    it('lists by workspace and by e-mail in creation order', async () => {
      const invitations = await openStore()
      const workspaceId = createTestId()
      const email = `${createTestId()}@example.test`
      const start = Date.now()
      const first = buildInvitation({ workspaceId, createdAt: start })
      const second = buildInvitation({ workspaceId, email, createdAt: start + 1 })
      const elsewhere = buildInvitation({ email, createdAt: start + 2 })
      for (const invitation of [second, first, elsewhere]) await invitations.create(invitation)
      assert.deepEqual(await invitations.listByWorkspace(workspaceId), [first, second])
      assert.deepEqual(await invitations.listByEmail(email), [second, elsewhere])
      assert.deepEqual(await invitations.listByWorkspace(createTestId()), [])
    })

    it('accepts a pending invitation once, and keeps it as accepted', async () => {
      const invitations = await openStore()
      const invitation = buildInvitation()
      await invitations.create(invitation)
      const now = invitation.createdAt + 1000
      assert.equal(await invitations.accept(invitation.id, now), true)
      assert.equal(await invitations.accept(invitation.id, now), false)
      assert.deepEqual(await invitations.getByTokenHash(invitation.tokenHash), { ...invitation, acceptedAt: now })
      assert.equal(await invitations.accept(createTestId(), now), false)
    })

    it('accepts for exactly one of concurrent callers', async () => {
      const invitations = await openStore()
      const invitation = buildInvitation()
      await invitations.create(invitation)
      assert.equal(countTrue(await raceCallers(() => invitations.accept(invitation.id, invitation.createdAt))), 1)
    })

    it('does not accept an expired invitation', async () => {
      const invitations = await openStore()
      const invitation = buildInvitation()
      await invitations.create(invitation)
      assert.equal(await invitations.accept(invitation.id, invitation.expiresAt), false)
      assert.equal((await invitations.getById(invitation.id))?.acceptedAt, null)
    })

    it('deletes once, for exactly one of concurrent callers', async () => {
      const invitations = await openStore()
      const invitation = buildInvitation()
      await invitations.create(invitation)
      assert.equal(countTrue(await raceCallers(() => invitations.delete(invitation.id))), 1)
      assert.equal(await invitations.getByTokenHash(invitation.tokenHash), null)
      assert.deepEqual(await invitations.listByEmail(invitation.email), [])
    })

    it('deletes a workspace invitations', async () => {
      const invitations = await openStore()
      const workspaceId = createTestId()
      const own = [buildInvitation({ workspaceId }), buildInvitation({ workspaceId })]
      const other = buildInvitation()
      for (const invitation of [...own, other]) await invitations.create(invitation)
      assert.equal(await invitations.deleteByWorkspace(workspaceId), 2)
      assert.deepEqual(await invitations.listByWorkspace(workspaceId), [])
      assert.deepEqual(await invitations.getById(other.id), other)
    })

    it('deletes what a user sent and what was sent to their e-mail', async () => {
      const invitations = await openStore()
      const userId = createTestId()
      const email = `${createTestId()}@example.test`
      const sent = buildInvitation({ invitedBy: userId })
      const received = buildInvitation({ email })
      const both = buildInvitation({ invitedBy: userId, email })
      const other = buildInvitation()
      for (const invitation of [sent, received, both, other]) await invitations.create(invitation)
      assert.equal(await invitations.deleteByUser(userId, email), 3)
      assert.deepEqual(await invitations.listByEmail(email), [])
      assert.equal(await invitations.getById(sent.id), null)
      assert.deepEqual(await invitations.getById(other.id), other)
    })
  })
}
