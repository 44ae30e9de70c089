import type { PublicToken } from '../../http/auth-context.js'
import type { TokenRecord } from '../../storage/ports.js'
import type { IssuedToken } from './issue-token.js'

/** A token as listings show it: no secret, only its hint. */
export interface TokenListing {
  id: string
  name: string
  scopes: string[]
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  hint: string
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString())

export function toTokenListing(token: TokenRecord): TokenListing {
  return {
    id: token.id,
    name: token.name,
    scopes: [...token.scopes],
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: iso(token.expiresAt),
    hint: token.hint,
  }
}

/** A token just issued, as apiTokenCreate answers it: its listing and the secret, shown this once. */
export interface PublicIssuedToken extends TokenListing {
  token: string
}

export function toPublicIssuedToken(issued: IssuedToken): PublicIssuedToken {
  return { ...toTokenListing(issued.record), token: issued.token }
}

/** What `req.auth.token` says about the token a request came with. */
export function toPublicToken(token: TokenRecord): PublicToken {
  return { id: token.id, kind: token.kind, name: token.name, scopes: [...token.scopes] }
}
