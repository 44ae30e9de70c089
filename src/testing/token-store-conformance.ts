import { describe, expect, it } from 'vitest'
import type { TokenStore } from '../storage/ports.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildToken, createTestHash, createTestId } from './conformance-records.js'

export function describeTokenStoreConformance(openStore: () => Promise<TokenStore>): void {
  describe('tokens', () => {
    it('creates a token readable by token hash and by id', async () => {
      const tokens = await openStore()
      const token = buildToken({ expiresAt: Date.now() + 86_400_000, lastUsedAt: Date.now(), scopes: [] })
      await tokens.create(token)
      expect(await tokens.getByTokenHash(token.tokenHash)).toEqual(token)
      expect(await tokens.getById(token.id)).toEqual(token)
    })

    it('answers null for unknown token hashes and ids', async () => {
      const tokens = await openStore()
      expect(await tokens.getByTokenHash(createTestHash())).toBeNull()
      expect(await tokens.getById(createTestId())).toBeNull()
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
      expect(await tokens.listByUser(userId)).toEqual(own)
      expect(await tokens.listByUser(userId, 'api_token')).toEqual([own[0], own[2]])
      expect(await tokens.listByUser(userId, 'access_client')).toEqual([own[1]])
      expect(await tokens.listByUser(createTestId())).toEqual([])
    })

    it('touches only lastUsedAt, and does nothing for a token that is gone', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      const lastUsedAt = token.createdAt + 5000
      await tokens.touch(token.id, lastUsedAt)
      expect(await tokens.getByTokenHash(token.tokenHash)).toEqual({ ...token, lastUsedAt })
      const missing = createTestId()
      await tokens.touch(missing, lastUsedAt)
      expect(await tokens.getById(missing)).toBeNull()
    })

    it('deletes once, and the token hash stops resolving', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      expect(await tokens.delete(token.id)).toBe(true)
      expect(await tokens.delete(token.id)).toBe(false)
      expect(await tokens.getByTokenHash(token.tokenHash)).toBeNull()
      expect(await tokens.listByUser(token.userId)).toEqual([])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const tokens = await openStore()
      const token = buildToken()
      await tokens.create(token)
      expect(countTrue(await raceCallers(() => tokens.delete(token.id)))).toBe(1)
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
      expect(await tokens.deleteByUser(userId, 'api_token')).toBe(2)
      expect(await tokens.listByUser(userId)).toEqual([client])
      for (const token of apiTokens) expect(await tokens.getByTokenHash(token.tokenHash)).toBeNull()
      expect(await tokens.deleteByUser(userId)).toBe(1)
      expect(await tokens.deleteByUser(userId)).toBe(0)
      expect(await tokens.getById(other.id)).toEqual(other)
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
      expect(await tokens.getByTokenHash(token.tokenHash)).toEqual(original)
    })
  })
}
