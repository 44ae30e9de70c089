import type { FactorUse, SessionRecord, TokenRecord, UserRecord } from '../storage/ports.js'

/** How the credential arrived. */
export type CredentialMethod = 'cookie' | 'bearer' | 'basic' | 'api_key' | 'access_client' | 'session_header'

export interface PublicUser {
  id: string
  email: string
  name: string | null
  emailVerified: boolean
  createdAt: string
  updatedAt: string
  /** The host-declared profile fields (`profileFields`), when the user has them. */
  profile?: Record<string, string | boolean | null>
}

export interface PublicSession {
  id: string
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  pendingSecondFactor: boolean
}

export interface PublicToken {
  id: string
  kind: string
  name: string
  scopes: string[]
}

/** A factor used to sign in, as answered: `at` is an ISO time like every time in a response. */
export interface PublicFactorUse {
  method: string
  at: string
}

/** What `requireAuth` attaches as `req.auth` / `ctx.state.auth`. */
export interface AuthContext {
  user: PublicUser
  session?: PublicSession
  token?: PublicToken
  method: CredentialMethod
  /** Factors used to sign in, oldest first ('password', 'totp', ...). */
  factors: PublicFactorUse[]
  /** The rights of a token; absent for a session, which has every right of its user. */
  scopes?: string[]
  /** Set by a guard whose needs name a workspace role or permission: the route's workspace and the caller's role in it. */
  workspaceId?: string
  role?: string
}

/** The records behind an AuthContext, for the core's own routes. */
export interface Authenticated {
  context: AuthContext
  user: UserRecord
  session: SessionRecord | null
  /** The factors as stored (epoch ms), which step-up checks compare without parsing ISO times. */
  factors: readonly FactorUse[]
  /** The API token or access client the request came with, if any. */
  token?: TokenRecord
}

// toISOString costs ~0.75 µs and a guarded request formats five timestamps that rarely change
// between requests, so formatted values are kept in a small bounded cache.
const isoCache = new Map<number, string>()
const isoCacheLimit = 10_000

function iso(time: number): string {
  let formatted = isoCache.get(time)
  if (formatted === undefined) {
    formatted = new Date(time).toISOString()
    if (isoCache.size >= isoCacheLimit) isoCache.clear()
    isoCache.set(time, formatted)
  }
  return formatted
}

export function toPublicUser(user: UserRecord): PublicUser {
  const shown: PublicUser = {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  }
  if (user.profile !== undefined) shown.profile = { ...user.profile }
  return shown
}

export function toPublicSession(session: SessionRecord): PublicSession {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    expiresAt: iso(Math.min(session.expiresAt, session.idleExpiresAt)),
    pendingSecondFactor: session.pendingSecondFactor,
  }
}

export function toPublicFactors(factors: readonly FactorUse[]): PublicFactorUse[] {
  return factors.map((factor) => ({ method: factor.method, at: iso(factor.at) }))
}
