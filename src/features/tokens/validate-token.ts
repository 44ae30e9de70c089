import { type MaybePromise, thenMaybe } from '../../async/maybe-promise.js'
import type { Core } from '../../core.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { invalidToken } from '../../errors/credential-errors.js'
import type { TokenKind, TokenRecord, WithUser } from '../../storage/ports.js'
import { isTokenExpired } from './token-expiry.js'

/** The secret's prefix for each kind of token. */
export const prefixOfKind: Record<TokenKind, string> = { api_token: tokenPrefixes.apiToken, access_client: tokenPrefixes.accessClient }

/**
 * The live token for a secret of the given kind with its user (null when the user is gone), or
 * throws 401. One sha256 and one store call (getWithUser), answered in the same tick when the
 * store holds it in process; lastUsedAt is written at most once per `lastUsedIntervalSeconds`,
 * after the response, so a guarded request waits on no store write.
 */
export function validateToken(core: Core, secret: string, kind: TokenKind): MaybePromise<WithUser<TokenRecord>> {
  if (!secret.startsWith(prefixOfKind[kind]) || secret.length > 128) throw invalidToken()
  return thenMaybe(core.storage.tokens.getWithUser(sha256Hex(secret), core.storage.users), (found) => checkLiveToken(core, found, kind))
}

function checkLiveToken(core: Core, found: WithUser<TokenRecord> | null, kind: TokenKind): WithUser<TokenRecord> {
  if (found === null || found.record.kind !== kind) throw invalidToken()
  const token = found.record
  const now = core.config.clock.now()
  if (isTokenExpired(token, now)) throw new AuthError('TOKEN_EXPIRED')
  if (token.lastUsedAt === null || now - token.lastUsedAt >= core.config.tokens.lastUsedIntervalSeconds * 1000) {
    token.lastUsedAt = now
    const { id } = token
    core.background.run('token last use', () => core.storage.tokens.touch(id, now))
  }
  return found
}
