import type { ResolvedConfig } from '../config/base-options.js'
import { tokenPrefixes } from '../crypto/random-token.js'
import { readCookie, sessionCookie } from './cookies.js'
import type { CookieToSet, HeaderReader } from './types.js'

// A session token is the prefix and 32 random bytes in base64url (43 characters).
const wholeSessionTokenLength = tokenPrefixes.session.length + 43

/**
 * The session token of the configured session-token header, joined with the second half from
 * the split cookie when the header holds only the first (a whole token in the header is taken
 * as is, with or without the cookie); undefined when the header is absent or not configured.
 */
export function readSessionTokenHeader(config: ResolvedConfig, headers: HeaderReader): string | undefined {
  const { sessionTokenHeader, splitSessionCookie } = config.authenticate
  if (sessionTokenHeader === null) return undefined
  const value = headers.get(sessionTokenHeader)?.trim()
  if (!value) return undefined
  if (splitSessionCookie === null || value.length >= wholeSessionTokenLength) return value
  const rest = readCookie(headers, splitSessionCookie)
  // Half a token alone is never a session: without its cookie it is looked up, found nowhere, and refused.
  return rest === undefined ? value : value + rest
}

/** Splits a session token for the split transport: the first half for the body, the cookie holding the second. */
export function splitSessionToken(config: ResolvedConfig, token: string, maxAgeSeconds: number): { firstHalf: string; cookie: CookieToSet } | null {
  const name = config.authenticate.splitSessionCookie
  if (name === null) return null
  const at = Math.floor(token.length / 2)
  return { firstHalf: token.slice(0, at), cookie: { ...sessionCookie(config, token.slice(at), maxAgeSeconds), name } }
}

/** The cookies logout clears: the session cookie, and the split cookie when configured. */
export function clearedSessionCookies(config: ResolvedConfig): CookieToSet[] {
  const cleared = sessionCookie(config, '', 0)
  const split = config.authenticate.splitSessionCookie
  return split === null ? [cleared] : [cleared, { ...cleared, name: split }]
}
