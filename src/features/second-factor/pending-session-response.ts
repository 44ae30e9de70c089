import type { Core } from '../../core.js'
import { sessionCookie } from '../../http/cookies.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import { type IssuedSession, sessionCookieMaxAgeSeconds } from '../sessions/issue-session.js'
import type { SecondFactorMethod } from './second-factor-method.js'

/**
 * The answer to a login that still needs a second factor: `{ pending: true, secondFactors }` with
 * the pending session's cookie, or its token in the body with `?cookie=false`. No user data yet.
 */
export function respondWithPendingSession(
  core: Core,
  req: AuthRequest,
  issued: IssuedSession,
  secondFactors: SecondFactorMethod[],
): AuthResponse {
  const body = { pending: true, secondFactors }
  const headers: [string, string][] = [['cache-control', 'no-store']]
  if (req.query().get('cookie') === 'false') return { status: 200, body: { ...body, token: issued.token }, headers }
  const cookie = sessionCookie(core.config, issued.token, sessionCookieMaxAgeSeconds(core, issued.session))
  return { status: 200, body, cookies: [cookie], headers }
}
