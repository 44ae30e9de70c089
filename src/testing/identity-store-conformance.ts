import type { IdentityStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, countTrue, raceCallers } from './concurrent-callers.js'
import { buildIdentity, createTestId } from './conformance-records.js'

export function describeIdentityStoreConformance(openStore: () => Promise<IdentityStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner

  describe('identities', () => {
    it('creates an identity, readable by id and by (issuer, subject)', async () => {
      const identities = await openStore()
      const identity = buildIdentity()
      assert.equal(await identities.create(identity), 'created')
      assert.deepEqual(await identities.getById(identity.id), identity)
      assert.deepEqual(await identities.getBySubject(identity.issuer, identity.subject), identity)
      assert.equal(await identities.getById(createTestId()), null)
      assert.equal(await identities.getBySubject(identity.issuer, createTestId()), null)
      assert.equal(await identities.getBySubject(`${identity.issuer}/other`, identity.subject), null)
      assert.equal(await identities.getBySubject(identity.issuer, identity.subject.toUpperCase()), null)
    })

    it('keeps an email of null', async () => {
      const identities = await openStore()
      const identity = buildIdentity({ email: null })
      await identities.create(identity)
      assert.deepEqual(await identities.getById(identity.id), identity)
    })

    it('answers taken for a second identity of one (issuer, subject), and never moves the first', async () => {
      const identities = await openStore()
      const identity = buildIdentity()
      await identities.create(identity)
      const other = buildIdentity({ issuer: identity.issuer, subject: identity.subject })
      assert.equal(await identities.create(other), 'taken')
      assert.deepEqual(await identities.getBySubject(identity.issuer, identity.subject), identity)
      assert.equal(await identities.getById(other.id), null)
      assert.deepEqual(await identities.listByUser(other.userId), [])
    })

    it('creates one identity among concurrent creates of one (issuer, subject)', async () => {
      const identities = await openStore()
      const issuer = `https://${createTestId()}.idp.example.test`
      const subject = createTestId()
      const outcomes = await raceCallers(() => identities.create(buildIdentity({ issuer, subject })))
      assert.equal(outcomes.filter((outcome) => outcome === 'created').length, 1)
      assert.equal(outcomes.filter((outcome) => outcome === 'taken').length, CONCURRENT_CALLER_COUNT - 1)
    })

    it('lists a user identities oldest first', async () => {
      const identities = await openStore()
      const userId = createTestId()
      const linkedAt = Date.now()
      const second = buildIdentity({ userId, linkedAt: linkedAt + 1 })
      const first = buildIdentity({ userId, linkedAt })
      for (const identity of [second, first, buildIdentity()]) await identities.create(identity)
      assert.deepEqual(await identities.listByUser(userId), [first, second])
      assert.deepEqual(await identities.listByUser(createTestId()), [])
    })

    it('deletes once, for exactly one of concurrent callers, and frees the (issuer, subject)', async () => {
      const identities = await openStore()
      const identity = buildIdentity()
      await identities.create(identity)
      assert.equal(countTrue(await raceCallers(() => identities.delete(identity.id))), 1)
      assert.equal(await identities.getBySubject(identity.issuer, identity.subject), null)
      assert.deepEqual(await identities.listByUser(identity.userId), [])
      assert.equal(await identities.create(buildIdentity({ issuer: identity.issuer, subject: identity.subject })), 'created')
    })

    it('deletes a user identities and no one else', async () => {
      const identities = await openStore()
      const userId = createTestId()
      const own = [buildIdentity({ userId }), buildIdentity({ userId })]
      const other = buildIdentity()
      for (const identity of [...own, other]) await identities.create(identity)
      assert.equal(await identities.deleteByUser(userId), 2)
      assert.deepEqual(await identities.listByUser(userId), [])
      assert.deepEqual(await identities.getById(other.id), other)
      assert.equal(await identities.deleteByUser(userId), 0)
    })

    it('returns copies', async () => {
      const identities = await openStore()
      const identity = buildIdentity()
      await identities.create(identity)
      const read = await identities.getById(identity.id)
      if (read !== null) read.userId = createTestId()
      assert.deepEqual(await identities.getById(identity.id), identity)
    })
  })
}
