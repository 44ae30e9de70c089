import { addToIndex, removeFromIndex } from './secondary-index.js'
import { attachUser } from './attach-user.js'
import type { TokenRecord, TokenStore } from './ports.js'

function copyToken(token: TokenRecord): TokenRecord {
  return { ...token, scopes: [...token.scopes] }
}

export function createMemoryTokenStore(): TokenStore {
  const tokensById = new Map<string, TokenRecord>()
  const idsByTokenHash = new Map<string, string>()
  const idsByUser = new Map<string, Set<string>>()

  function removeToken(id: string, token: TokenRecord): void {
    tokensById.delete(id)
    idsByTokenHash.delete(token.tokenHash)
    removeFromIndex(idsByUser, token.userId, id)
  }

  function selectUserTokens(userId: string, kind: TokenRecord['kind'] | undefined): TokenRecord[] {
    const tokens: TokenRecord[] = []
    for (const id of idsByUser.get(userId) ?? []) {
      const token = tokensById.get(id)
      if (token !== undefined && (kind === undefined || token.kind === kind)) tokens.push(token)
    }
    return tokens
  }

  return {
    async create(token) {
      tokensById.set(token.id, copyToken(token))
      idsByTokenHash.set(token.tokenHash, token.id)
      addToIndex(idsByUser, token.userId, token.id)
    },

    async getByTokenHash(tokenHash) {
      const id = idsByTokenHash.get(tokenHash)
      const token = id === undefined ? undefined : tokensById.get(id)
      return token === undefined ? null : copyToken(token)
    },

    // Not async: a map hit answers in the same tick (see MaybePromise).
    getWithUser(tokenHash, users) {
      const id = idsByTokenHash.get(tokenHash)
      const token = id === undefined ? undefined : tokensById.get(id)
      return token === undefined ? null : attachUser(copyToken(token), users)
    },

    async getById(id) {
      const token = tokensById.get(id)
      return token === undefined ? null : copyToken(token)
    },

    async listByUser(userId, kind) {
      return selectUserTokens(userId, kind).map(copyToken)
    },

    async touch(id, lastUsedAt) {
      const token = tokensById.get(id)
      if (token !== undefined) token.lastUsedAt = lastUsedAt
    },

    async expire(id, at) {
      const token = tokensById.get(id)
      if (token === undefined) return false
      if (token.expiresAt === null || token.expiresAt > at) token.expiresAt = at
      return true
    },

    async delete(id) {
      const token = tokensById.get(id)
      if (token === undefined) return false
      removeToken(id, token)
      return true
    },

    async deleteByUser(userId, kind) {
      const tokens = selectUserTokens(userId, kind)
      for (const token of tokens) removeToken(token.id, token)
      return tokens.length
    },
  }
}
