import { type Authenticated, type CredentialMethod, toPublicUser } from '../../http/auth-context.js'
import { type MaybePromise, thenMaybe } from '../../async/maybe-promise.js'
import type { Core } from '../../core.js'
import { invalidToken } from '../../errors/credential-errors.js'
import type { TokenKind } from '../../storage/ports.js'
import { toPublicToken } from './public-token.js'
import { validateToken } from './validate-token.js'

/** The caller behind an API token or access-client secret: its user, with the token's scopes as the request's rights. */
export function authenticateToken(core: Core, secret: string, kind: TokenKind, method: CredentialMethod): MaybePromise<Authenticated> {
  return thenMaybe(validateToken(core, secret, kind), ({ record: token, user }) => {
    if (user === null) throw invalidToken()
    const publicToken = toPublicToken(token)
    return {
      user,
      session: null,
      token,
      factors: [],
      // A token proves possession of a secret, not a sign-in: it carries no factors, so step-up guards refuse it.
      context: { user: toPublicUser(user), token: publicToken, method, factors: [], scopes: publicToken.scopes },
    }
  })
}
