import type { Core } from '../../core.js'
import { type IssuedToken, issueToken } from './issue-token.js'
import { type TokenGrant, grantExpiry, grantScopes } from './token-grant.js'

export interface AccessClientGrant extends TokenGrant {
  /** Which client this is ('build server', 'mobile app'); one access client per name. */
  name: string
}

/**
 * Activates an access client (Cyclos): a `gha_` secret bound to the user and a name, sent in the
 * access-client header. Activating a name again replaces its secret; the old one stops working.
 */
export async function activateAccessClient(core: Core, grant: AccessClientGrant): Promise<IssuedToken> {
  const scopes = grantScopes(core, grant)
  for (const client of await core.storage.tokens.listByUser(grant.userId, 'access_client')) {
    if (client.name === grant.name) await core.storage.tokens.delete(client.id)
  }
  const expiresAt = grantExpiry(core, undefined, grant.parent)
  return issueToken(core, { userId: grant.userId, kind: 'access_client', name: grant.name, scopes, expiresAt })
}
