import type { Core } from '../core.js'
import { csrfRejected } from '../errors/auth-error.js'
import type { Authenticated } from './auth-context.js'
import type { CredentialRequest } from './types.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method)
}

/**
 * Where an unsafe request came from when a browser could have sent it from a page of another
 * origin (`origin http://evil.example`, `Sec-Fetch-Site: cross-site`), or null when it could not.
 * Origin decides when present (a trusted front-end on another origin is allowed); otherwise
 * Sec-Fetch-Site; a request with neither comes from a non-browser client, which CSRF cannot forge.
 * `Origin: null` hides the origin (a no-referrer page such as the magic-link confirm page, but
 * also sandboxed frames and cross-site redirects), so only Sec-Fetch-Site: same-origin clears it.
 */
export function crossSiteSource(req: CredentialRequest, allowedOrigins: ReadonlySet<string>): string | null {
  const origin = req.headers.get('origin')
  const site = req.headers.get('sec-fetch-site')
  if (origin === 'null') return site === 'same-origin' ? null : `Origin: null with Sec-Fetch-Site: ${site ?? '(none)'}`
  if (origin !== null) return allowedOrigins.has(origin) ? null : `origin ${origin}`
  if (site !== null && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`
  return null
}

/** The other origin is this site in development under another port or host name (127.0.0.1 for localhost). */
function isSameSiteElsewhere(origin: string, baseUrl: URL): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return url.hostname === baseUrl.hostname || (loopbackHosts.has(url.hostname) && loopbackHosts.has(baseUrl.hostname))
}

/**
 * 403 CSRF_REJECTED naming the expected and the received origin (request headers, never a
 * secret), with a hint when a developer opened the app under another port or host name.
 */
export function rejectCrossSiteRequest(core: Core, req: CredentialRequest): void {
  const source = crossSiteSource(req, core.config.allowedOrigins)
  if (source === null) return
  const { baseUrl, development } = core.config
  const origin = req.headers.get('origin')
  const expected = [...core.config.allowedOrigins].join(', ')
  let message = `Refused a cross-site request: it came from ${source}, and only ${expected} may send it (baseUrl and trustedOrigins).`
  if (development && origin !== null && origin !== 'null' && isSameSiteElsewhere(origin, baseUrl)) {
    message += ` Open the app at ${baseUrl.origin}, or add '${origin}' to trustedOrigins.`
  }
  if (development) core.warnOnce(`csrf:${source}`, message)
  throw csrfRejected(message)
}

/** rejectCrossSiteRequest for an unsafe request whose credential is the session cookie. */
export function rejectCrossSiteCookieRequest(core: Core, req: CredentialRequest, auth: Authenticated): void {
  if (auth.context.method === 'cookie' && !isSafeMethod(req.method)) rejectCrossSiteRequest(core, req)
}
