import { toPublicSession, toPublicUser } from '../../http/auth-context.js'
import type { Core } from '../../core.js'
import { sessionCookie } from '../../http/cookies.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import type { UserRecord } from '../../storage/ports.js'
import { type IssuedSession, sessionCookieMaxAgeSeconds } from './issue-session.js'

/**
 * The answer to a request that began a session: `{ user, session }` with the session cookie, or,
 * when the client asked `?cookie=false`, the token in the body and no cookie (programs, mobile apps).
 */
export function respondWithSession(core: Core, req: AuthRequest, user: UserRecord, issued: IssuedSession, status = 200): AuthResponse {
  const body = { user: toPublicUser(user), session: toPublicSession(issued.session) }
  if (req.query().get('cookie') === 'false') {
    return { status, body: { ...body, token: issued.token }, headers: [['cache-control', 'no-store']] }
  }
  const cookie = sessionCookie(core.config, issued.token, sessionCookieMaxAgeSeconds(core, issued.session))
  return { status, body, cookies: [cookie], headers: [['cache-control', 'no-store']] }
}
