import type { Core } from '../core.js'
import { AuthError, notFound, scopeMissing } from '../errors/auth-error.js'
import { type Authenticated, toPublicUser } from './auth-context.js'
import type { ActAsUser } from './route-options.js'
import type { AuthRequest } from './types.js'

/**
 * A server-to-server call: the caller must come with an API token or access client holding
 * `actAs.scope` (a session, however privileged, is refused with 403); the route then runs for the
 * user the path names, found by the host's resolver (404 when it knows none; it may look ids up per caller). The caller's token
 * stays attached, so the route's own token rules still see who called.
 */
export async function actAsUser(core: Core, caller: Authenticated, actAs: ActAsUser, req: AuthRequest): Promise<Authenticated> {
  if (caller.token === undefined) throw new AuthError('FORBIDDEN', { message: 'This route is for a server holding an API token.' })
  if (!caller.token.scopes.includes(actAs.scope)) throw scopeMissing(actAs.scope)
  const named = req.params[actAs.param]
  const userId = named === undefined || named.length > 256 ? null : await actAs.resolveUser(named, { req, caller: caller.context })
  const user = userId === null ? null : await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  return {
    user,
    session: null,
    token: caller.token,
    factors: [],
    context: { user: toPublicUser(user), token: caller.context.token!, method: caller.context.method, factors: [], scopes: caller.token.scopes },
  }
}
