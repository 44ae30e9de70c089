import type { Core } from '../../core.js'
import { type IssuedToken, issueToken } from './issue-token.js'
import { type TokenGrant, grantExpiry, grantScopes } from './token-grant.js'

export interface ApiTokenGrant extends TokenGrant {
  /** Shown in listings. Default 'API token'. */
  name?: string | undefined
  /** Default `maxLifetimeSeconds`, or never. */
  expiresInSeconds?: number | undefined
}

/** A new API token (`ghp_`), its secret returned once. See TokenGrant for what a token caller may grant. */
export async function createApiToken(core: Core, grant: ApiTokenGrant): Promise<IssuedToken> {
  const scopes = grantScopes(core, grant)
  const expiresAt = grantExpiry(core, grant.expiresInSeconds, grant.parent)
  return issueToken(core, { userId: grant.userId, kind: 'api_token', name: grant.name ?? 'API token', scopes, expiresAt })
}
