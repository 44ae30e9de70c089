import { toPublicSession, toPublicUser } from './auth-context.js'
import type { Core } from '../core.js'
import { sessionCookieMaxAgeSeconds } from '../features/sessions/issue-session.js'
import type { StartedSession } from '../features/sessions/start-session.js'
import { sessionCookie } from './cookies.js'
import { noStoreHeader } from './no-store.js'
import { splitSessionToken } from './session-header.js'
import type { AuthRequest, AuthResponse } from './types.js'
import { secondFactorOptions } from '../features/second-factor/second-factor-options.js'
import { awaitsEmailVerification } from '../features/email-verification/email-verification-access.js'

export interface SessionAnswerOptions {
  /** Status of a JSON answer for a complete session. Default 200 (signup: 201). */
  status?: number | undefined
  /**
   * A browser flow: answer 303 to this absolute URL with the session cookie. A pending session
   * lands on the second-factor page instead, with this URL as its `returnTo`.
   */
  redirectTo?: string | undefined
}

/** Where a browser goes to give its second factor: the configured page, told where to return. */
function secondFactorPageUrl(core: Core, returnTo: string): string {
  const url = new URL(secondFactorOptions.of(core).pageUrl)
  url.searchParams.set('returnTo', returnTo)
  return url.href
}

/**
 * The one answer to a request that began a session: for programs `{ user, session }` (or
 * `{ pending: true, secondFactors }`, with `emailVerificationRequired: true` while a required
 * e-mail verification is outstanding) with the session cookie, or the token in the body instead
 * when the client asked `?cookie=false` (`?cookie=split` with `authenticate.splitSessionCookie`:
 * the first half in the body, the second in that cookie; `?cookie=session`: a cookie without
 * Max-Age, which the browser drops when it closes); for browser flows a 303 with the cookie.
 */
export function answerSession(core: Core, req: AuthRequest, started: StartedSession, options: SessionAnswerOptions = {}): AuthResponse {
  const { issued, secondFactors } = started
  const pending = secondFactors.length > 0
  const cookieMode = req.query().get('cookie')
  // `?cookie=session`: the client asked for a cookie that ends with the browser (Toggl without remember_me).
  const maxAgeSeconds = cookieMode === 'session' ? null : sessionCookieMaxAgeSeconds(core, issued.session)
  const cookie = sessionCookie(core.config, issued.token, maxAgeSeconds)
  if (options.redirectTo !== undefined) {
    const location = pending ? secondFactorPageUrl(core, options.redirectTo) : options.redirectTo
    return { status: 303, redirect: location, cookies: [cookie], headers: [noStoreHeader, ['referrer-policy', 'no-referrer']] }
  }
  const unverified = awaitsEmailVerification(core, started.user)
  const body: Record<string, unknown> =
    pending || unverified
      ? { pending: true, secondFactors, ...(unverified ? { emailVerificationRequired: true } : {}) }
      : { user: toPublicUser(started.user), session: toPublicSession(issued.session) }
  const status = pending ? 200 : (options.status ?? 200)
  if (cookieMode === 'false') return { status, body: { ...body, token: issued.token }, headers: [noStoreHeader] }
  const split = cookieMode === 'split' ? splitSessionToken(core.config, issued.token, sessionCookieMaxAgeSeconds(core, issued.session)) : null
  if (split !== null) return { status, body: { ...body, token: split.firstHalf }, cookies: [split.cookie], headers: [noStoreHeader] }
  return { status, body, cookies: [cookie], headers: [noStoreHeader] }
}
