import type { Core } from '../../core.js'
import { invalidRequest, scopeMissing } from '../../errors/auth-error.js'
import type { TokenRecord } from '../../storage/ports.js'

/** A request for a new token. `parent` is the token making the request when a token (not a session) is the caller. */
export interface TokenGrant {
  userId: string
  /** Default: the configured `defaultScopes` (only those the parent has, when there is one). */
  scopes?: string[] | undefined
  /** The token making the request: it needs the manage scope, and the new token gets at most its scopes and expiry. */
  parent?: TokenRecord | undefined
}

/** 403 SCOPE_MISSING when a token without the manage scope tries to manage tokens; sessions may. */
export function requireManageScope(core: Core, caller: TokenRecord | undefined): void {
  const { manageScope } = core.config.tokens
  if (caller !== undefined && !caller.scopes.includes(manageScope)) throw scopeMissing(manageScope)
}

/**
 * The scopes a new token gets. Each requested scope must be declared (400 otherwise); a session
 * may grant any declared scope, a token only its own (403 SCOPE_MISSING otherwise).
 */
export function grantScopes(core: Core, grant: TokenGrant): string[] {
  const { knownScopes, defaultScopes } = core.config.tokens
  const { parent, scopes } = grant
  requireManageScope(core, parent)
  if (scopes === undefined) return defaultScopes.filter((scope) => parent === undefined || parent.scopes.includes(scope))
  const unknown = scopes.find((scope) => !knownScopes.has(scope))
  if (unknown !== undefined) throw invalidRequest([{ path: 'scopes', message: `'${unknown.slice(0, 100)}' is not a known scope` }])
  const beyond = parent === undefined ? undefined : scopes.find((scope) => !parent.scopes.includes(scope))
  if (beyond !== undefined) throw scopeMissing(beyond)
  return [...new Set(scopes)]
}

/** When a new API token ends: as asked, within `maxLifetimeSeconds`, and never after its parent. Null: never. */
export function grantExpiry(core: Core, expiresInSeconds: number | undefined, parent: TokenRecord | undefined): number | null {
  const { maxLifetimeSeconds } = core.config.tokens
  if (expiresInSeconds !== undefined && maxLifetimeSeconds !== null && expiresInSeconds > maxLifetimeSeconds) {
    throw invalidRequest([{ path: 'expiresInSeconds', message: `must be at most ${maxLifetimeSeconds}` }])
  }
  const seconds = expiresInSeconds ?? maxLifetimeSeconds
  const expiresAt = seconds === null ? null : core.config.clock.now() + seconds * 1000
  const parentEnd = parent?.expiresAt ?? null
  if (parentEnd === null) return expiresAt
  return expiresAt === null ? parentEnd : Math.min(expiresAt, parentEnd)
}
