import { parseCookie, stringifySetCookie } from 'cookie'
import type { ResolvedConfig } from '../config/base-options.js'
import type { CookieToSet, HeaderReader } from './types.js'

/**
 * The session cookie: HttpOnly, SameSite=Lax, Secure and __Host- on https. A null `maxAgeSeconds`
 * makes a browser-session cookie (no Max-Age): it ends when the browser closes, the session no later.
 */
export function sessionCookie(config: ResolvedConfig, token: string, maxAgeSeconds: number | null): CookieToSet {
  return {
    name: config.cookie.name,
    value: token,
    options: {
      httpOnly: true,
      secure: config.secure,
      sameSite: 'lax',
      path: '/',
      domain: config.cookie.domain,
      ...(maxAgeSeconds === null ? {} : { maxAge: maxAgeSeconds }),
    },
  }
}

export function clearedSessionCookie(config: ResolvedConfig): CookieToSet {
  return sessionCookie(config, '', 0)
}

export function readCookie(headers: HeaderReader, name: string): string | undefined {
  const header = headers.get('cookie')
  if (header === null || !header.includes(name)) return undefined
  return parseCookie(header)[name]
}

/** The Set-Cookie header value; adapters append one per cookie. */
export function serializeCookie(cookie: CookieToSet): string {
  return stringifySetCookie(cookie.name, cookie.value, cookie.options)
}
