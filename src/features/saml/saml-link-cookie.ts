import type { Core } from '../../core.js'
import { readCookie } from '../../http/cookies.js'
import type { CookieToSet, HeaderReader } from '../../http/types.js'
import { samlOptions } from './saml-options.js'

function linkCookieName(core: Core): string {
  return core.config.secure ? '__Host-gatehouse_sso_link' : 'gatehouse_sso_link'
}

/** The cookie carrying a pending SSO link from the ACS to ssoLink (same site, so Lax suffices). */
export function samlLinkCookie(core: Core, linkToken: string, maxAgeSeconds = samlOptions.of(core).linkLifetimeSeconds): CookieToSet {
  return { name: linkCookieName(core), value: linkToken, options: { httpOnly: true, secure: core.config.secure, sameSite: 'lax', path: '/', maxAge: maxAgeSeconds } }
}

export function readSamlLinkCookie(core: Core, headers: HeaderReader): string | undefined {
  const value = readCookie(headers, linkCookieName(core))
  return value === '' ? undefined : value
}
