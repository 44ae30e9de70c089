import type { PublicToken } from '../../http/auth-context.js'
import type { TokenRecord } from '../../storage/ports.js'
import type { IssuedToken } from './issue-token.js'
import { isTokenExpired } from './token-expiry.js'

/** A token as listings show it: no secret, only its hint. */
export interface TokenListing {
  id: string
  /** Whose token it is. */
  userId: string
  name: string
  scopes: string[]
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  /** True once `expiresAt` has passed: the secret is refused, the token is only listed (`tokens.revokeKeepsListed`). */
  expired: boolean
  hint: string
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString())

/** The token as listings show it, `expired` as of `now` (the core clock's time). */
export function toTokenListing(token: TokenRecord, now: number): TokenListing {
  return {
    id: token.id,
    userId: token.userId,
    name: token.name,
    scopes: [...token.scopes],
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: iso(token.expiresAt),
    expired: isTokenExpired(token, now),
    hint: token.hint,
  }
}

/** A token just issued, as apiTokenCreate answers it: its listing and the secret, shown this once. */
export interface PublicIssuedToken extends TokenListing {
  token: string
}

export function toPublicIssuedToken(issued: IssuedToken, now: number): PublicIssuedToken {
  return { ...toTokenListing(issued.record, now), token: issued.token }
}

/** What `req.auth.token` says about the token a request came with. */
export function toPublicToken(token: TokenRecord): PublicToken {
  return { id: token.id, kind: token.kind, name: token.name, scopes: [...token.scopes] }
}
