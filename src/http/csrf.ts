import type { Core } from '../core.js'
import { csrfRejected } from '../errors/auth-error.js'
import type { Authenticated } from './auth-context.js'
import type { CredentialRequest } from './types.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method)
}

/**
 * Whether a browser could have sent this unsafe request from a page of another origin.
 * Origin decides when present (a trusted front-end on another origin is allowed); otherwise
 * Sec-Fetch-Site; a request with neither comes from a non-browser client, which CSRF cannot forge.
 * `Origin: null` hides the origin (a no-referrer page such as the magic-link confirm page, but
 * also sandboxed frames and cross-site redirects), so only Sec-Fetch-Site: same-origin clears it.
 */
export function isCrossOriginRequest(req: CredentialRequest, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.get('origin')
  if (origin === 'null') return req.headers.get('sec-fetch-site') !== 'same-origin'
  if (origin !== null) return !allowedOrigins.has(origin)
  const site = req.headers.get('sec-fetch-site')
  if (site !== null) return site !== 'same-origin' && site !== 'none'
  return false
}

/** 403 CSRF_REJECTED for an unsafe request whose credential is the session cookie and that another site could have sent. */
export function rejectCrossSiteCookieRequest(core: Core, req: CredentialRequest, auth: Authenticated): void {
  if (auth.context.method === 'cookie' && !isSafeMethod(req.method) && isCrossOriginRequest(req, core.config.allowedOrigins)) throw csrfRejected()
}
