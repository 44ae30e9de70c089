import type { Core } from '../../core.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { invalidToken } from '../../errors/credential-errors.js'
import type { TokenKind, TokenRecord } from '../../storage/ports.js'

/** The secret's prefix for each kind of token. */
export const prefixOfKind: Record<TokenKind, string> = { api_token: tokenPrefixes.apiToken, access_client: tokenPrefixes.accessClient }

/**
 * The live token for a secret of the given kind, or throws 401. One sha256 and one store lookup;
 * lastUsedAt is written at most once per `lastUsedIntervalSeconds`, so a guarded request does not
 * cost a store write.
 */
export async function validateToken(core: Core, secret: string, kind: TokenKind): Promise<TokenRecord> {
  if (!secret.startsWith(prefixOfKind[kind]) || secret.length > 128) throw invalidToken()
  const token = await core.storage.tokens.getByTokenHash(sha256Hex(secret))
  if (token === null || token.kind !== kind) throw invalidToken()
  const now = core.config.clock.now()
  if (token.expiresAt !== null && now >= token.expiresAt) throw new AuthError('TOKEN_EXPIRED')
  if (token.lastUsedAt === null || now - token.lastUsedAt >= core.config.tokens.lastUsedIntervalSeconds * 1000) {
    token.lastUsedAt = now
    await core.storage.tokens.touch(token.id, now)
  }
  return token
}
