import type { Core } from '../../core.js'
import { createRecordId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import type { TokenKind, TokenRecord } from '../../storage/ports.js'
import { isTokenExpired } from './token-expiry.js'
import { prefixOfKind } from './validate-token.js'

export interface IssueTokenInput {
  userId: string
  kind: TokenKind
  name: string
  scopes: string[]
  expiresAt: number | null
}

export interface IssuedToken {
  /** The secret: shown to the client once, never stored. */
  token: string
  record: TokenRecord
}

/**
 * Stores a new token with a fresh 256-bit secret behind its kind's prefix; only the secret's
 * sha256 and a short hint are kept. 409 TOKEN_LIMIT_REACHED once the user holds `maxPerUser` live
 * tokens of the kind; at `maxPerUser` stored ones, the oldest expired token is deleted to make room.
 */
export async function issueToken(core: Core, input: IssueTokenInput): Promise<IssuedToken> {
  const { clock, random, tokens } = core.config
  const held = await core.storage.tokens.listByUser(input.userId, input.kind)
  const now = clock.now()
  if (held.filter((token) => !isTokenExpired(token, now)).length >= tokens.maxPerUser) {
    throw new AuthError('TOKEN_LIMIT_REACHED', { message: `At most ${tokens.maxPerUser} tokens of this kind; revoke one first.` })
  }
  // Expired tokens stay listed (revokeKeepsListed) but must not fill the store: the oldest makes room.
  const oldestExpired = held.find((token) => isTokenExpired(token, now))
  if (held.length >= tokens.maxPerUser && oldestExpired !== undefined) await core.storage.tokens.delete(oldestExpired.id)
  const prefix = prefixOfKind[input.kind]
  const token = createSecret(random, prefix)
  const record: TokenRecord = {
    id: await createRecordId(core.config, 'token'),
    userId: input.userId,
    kind: input.kind,
    tokenHash: sha256Hex(token),
    name: input.name,
    scopes: input.scopes,
    // Four of 43 characters: enough to tell tokens apart in a listing, far too few to help guess one.
    hint: `${prefix}…${token.slice(-4)}`,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: input.expiresAt,
  }
  await core.storage.tokens.create(record)
  return { token, record }
}
