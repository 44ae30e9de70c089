import type { Core } from '../../core.js'
import { type IssuedToken, issueToken } from './issue-token.js'
import { type TokenGrant, grantExpiry, grantScopes } from './token-grant.js'

/** The name that marks a user's default API token, the one `resetApiToken` replaces. */
export const defaultApiTokenName = 'default'

/**
 * Replaces the user's default API token (Toggl's reset_token): every API token named 'default'
 * is revoked and a new one with the default scopes is issued.
 */
export async function resetApiToken(core: Core, grant: Omit<TokenGrant, 'scopes'>): Promise<IssuedToken> {
  const scopes = grantScopes(core, grant)
  const expiresAt = grantExpiry(core, undefined, grant.parent)
  for (const token of await core.storage.tokens.listByUser(grant.userId, 'api_token')) {
    if (token.name === defaultApiTokenName) await core.storage.tokens.delete(token.id)
  }
  return issueToken(core, { userId: grant.userId, kind: 'api_token', name: defaultApiTokenName, scopes, expiresAt })
}
