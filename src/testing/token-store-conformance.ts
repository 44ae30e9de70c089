import type { TokenStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildToken, createTestHash, createTestId } from './conformance-records.js'

export function describeTokenStoreConformance(openStore: () => Promise<TokenStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('tokens', () => {
    it('creates a token readable by token hash and by id', async () => {
      const tokens = await openStore()
      const token = buildToken({ expiresAt: Date.now() + 86_400_000, lastUsedAt: Date.now(), scopes: [] })
      await tokens.create(token)
      assert.deepEqual(await tokens.getByTokenHash(token.tokenHash), token)
      assert.deepEqual(await tokens.getById(token.id), token)
    })

    it('answers null for unknown token hashes and ids', async () => {
      const tokens = await openStore()
      assert.equal(await tokens.getByTokenHash(createTestHash()), null)
      assert.equal(await tokens.getById(createTestId()), null)
    })

    it('lists a user tokens in creation order, of one kind when asked', async () => {
      const tokens = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const own = [
        buildToken({ userId, kind: 'api_token', createdAt: start }),
        buildToken({ userId, kind: 'access_client', createdAt: start + 1 }),
        buildToken({ userId, kind: 'api_token', createdAt: start + 2 }),
      ]
      for (const token of own) await tokens.create(token)
      await tokens.create(buildToken())
      assert.deepEqual(await tokens.listByUser(userId), own)
      assert.deepEqual(await tokens.listByUser(userId, 'api_token'), [own[0], own[2]])
      assert.deepEqual(await tokens.listByUser(userId, 'access_client'), [own[1]])
      assert.deepEqual(await tokens.listByUser(createTestId()), [])
    })

    it('touches only lastUsedAt, and does nothing for a token that is gone', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      const lastUsedAt = token.createdAt + 5000
      await tokens.touch(token.id, lastUsedAt)
      assert.deepEqual(await tokens.getByTokenHash(token.tokenHash), { ...token, lastUsedAt })
      const missing = createTestId()
      await tokens.touch(missing, lastUsedAt)
      assert.equal(await tokens.getById(missing), null)
    })

    it('expires a token at a time, keeps it listed and resolving, and never extends an earlier expiry', async () => {
      const tokens = await openStore()
      const endless = buildToken({ expiresAt: null })
      const later = buildToken({ userId: endless.userId, createdAt: endless.createdAt + 1, expiresAt: endless.createdAt + 86_400_000 })
      const sooner = buildToken({ userId: endless.userId, createdAt: endless.createdAt + 2, expiresAt: endless.createdAt + 1000 })
      for (const token of [endless, later, sooner]) await tokens.create(token)
      const at = endless.createdAt + 5000
      for (const token of [endless, later, sooner]) assert.equal(await tokens.expire(token.id, at), true)
      const expected = [{ ...endless, expiresAt: at }, { ...later, expiresAt: at }, sooner]
      assert.deepEqual(await tokens.listByUser(endless.userId), expected)
      assert.deepEqual(await tokens.getByTokenHash(endless.tokenHash), expected[0])
      assert.deepEqual(await tokens.getById(later.id), expected[1])
      assert.equal(await tokens.expire(endless.id, at + 1000), true)
      assert.deepEqual(await tokens.getById(endless.id), expected[0])
      const missing = createTestId()
      assert.equal(await tokens.expire(missing, at), false)
      assert.equal(await tokens.getById(missing), null)
    })

    it('deletes once, and the token hash stops resolving', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      assert.equal(await tokens.delete(token.id), true)
      assert.equal(await tokens.delete(token.id), false)
      assert.equal(await tokens.getByTokenHash(token.tokenHash), null)
      assert.deepEqual(await tokens.listByUser(token.userId), [])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      assert.equal(countTrue(await raceCallers(() => tokens.delete(token.id))), 1)
    })

    it('deletes a user tokens, of one kind when asked', async () => {
      const tokens = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const apiTokens = [buildToken({ userId, createdAt: start }), buildToken({ userId, createdAt: start + 1 })]
      const client = buildToken({ userId, kind: 'access_client', createdAt: start + 2 })
      for (const token of [...apiTokens, client]) await tokens.create(token)
      const other = buildToken()
      await tokens.create(other)
      assert.equal(await tokens.deleteByUser(userId, 'api_token'), 2)
      assert.deepEqual(await tokens.listByUser(userId), [client])
      for (const token of apiTokens) assert.equal(await tokens.getByTokenHash(token.tokenHash), null)
      assert.equal(await tokens.deleteByUser(userId), 1)
      assert.equal(await tokens.deleteByUser(userId), 0)
      assert.deepEqual(await tokens.getById(other.id), other)
    })

    it('returns copies that do not alias the stored record', async () => {
      const tokens = await openStore()
      const token = buildToken()
      const original = structuredClone(token)
      await tokens.create(token)
      token.scopes.push('mutated input')
      const read = await tokens.getById(token.id)
      if (read === null) throw new Error('token missing')
      read.scopes.push('mutated output')
      read.name = 'mutated'
      const [listed] = await tokens.listByUser(token.userId)
      listed?.scopes.pop()
      assert.deepEqual(await tokens.getByTokenHash(token.tokenHash), original)
    })
  })
}
