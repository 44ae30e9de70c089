import type { Core } from '../../core.js'
import { readCookie } from '../../http/cookies.js'
import type { CookieToSet, HeaderReader } from '../../http/types.js'

/**
 * The cookie binding a started sign-in to its browser: it holds the state, scoped to the
 * provider's callback path. SameSite=Lax still comes along on the provider's top-level redirect
 * back, and a callback opened in another browser has no cookie, so it never reaches the token endpoint.
 */
function stateCookieName(core: Core): string {
  return core.config.secure ? '__Secure-gatehouse_oidc' : 'gatehouse_oidc'
}

function stateCookiePath(core: Core, provider: string): string {
  return core.urls.of('oidcCallback', { provider }).pathname
}

export function oidcStateCookie(core: Core, provider: string, state: string, maxAgeSeconds: number): CookieToSet {
  return {
    name: stateCookieName(core),
    value: state,
    options: { httpOnly: true, secure: core.config.secure, sameSite: 'lax', path: stateCookiePath(core, provider), maxAge: maxAgeSeconds },
  }
}

export function clearedOidcStateCookie(core: Core, provider: string): CookieToSet {
  return oidcStateCookie(core, provider, '', 0)
}

export function readOidcStateCookie(core: Core, headers: HeaderReader): string | undefined {
  const value = readCookie(headers, stateCookieName(core))
  return value === undefined || value === '' ? undefined : value
}
