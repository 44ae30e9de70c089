import type { Core } from '../../core.js'
import type { TokenKind, TokenRecord } from '../../storage/ports.js'

/** The user's tokens of one kind, in creation order (expired ones included, so they can be seen and revoked). */
export function listTokens(core: Core, userId: string, kind: TokenKind = 'api_token'): Promise<TokenRecord[]> {
  return core.storage.tokens.listByUser(userId, kind)
}

/** One of the user's tokens; null when it does not exist, is of another kind or belongs to someone else. */
export async function getToken(core: Core, userId: string, tokenId: string, kind: TokenKind = 'api_token'): Promise<TokenRecord | null> {
  if (tokenId.length > 200) return null
  const token = await core.storage.tokens.getById(tokenId)
  return token !== null && token.userId === userId && token.kind === kind ? token : null
}

/**
 * Revokes one of the user's tokens; its secret fails at once. An API token under
 * `tokens.revokeKeepsListed` is expired now and stays listed; anything else is deleted. False
 * when `getToken` would give null.
 */
export async function revokeToken(core: Core, userId: string, tokenId: string, kind: TokenKind = 'api_token'): Promise<boolean> {
  return (await revokeAndReturnToken(core, userId, tokenId, kind)) !== null
}

/** Revokes one of the user's tokens and answers it as revoked (expired now, or as it was before its deletion); null when `getToken` would give null (or a concurrent revoke won). */
export async function revokeAndReturnToken(core: Core, userId: string, tokenId: string, kind: TokenKind = 'api_token'): Promise<TokenRecord | null> {
  const token = await getToken(core, userId, tokenId, kind)
  if (token === null) return null
  if (kind === 'api_token' && core.config.tokens.revokeKeepsListed) {
    const now = core.config.clock.now()
    return (await core.storage.tokens.expire(token.id, now)) ? { ...token, expiresAt: Math.min(token.expiresAt ?? now, now) } : null
  }
  return (await core.storage.tokens.delete(token.id)) ? token : null
}

/** Revokes all the user's tokens, of one kind when given. Answers how many. */
export function revokeUserTokens(core: Core, userId: string, kind?: TokenKind): Promise<number> {
  return core.storage.tokens.deleteByUser(userId, kind)
}
