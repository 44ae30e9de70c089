import type { Core } from '../../core.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { readCookie } from '../../http/cookies.js'
import { readSessionTokenHeader } from '../../http/session-header.js'
import type { CredentialRequest } from '../../http/types.js'
import type { SessionRecord } from '../../storage/ports.js'

/** The session token a request carries as a Bearer session token, in the session-token header or in its cookie, if any. */
export function readPresentedSessionToken(core: Core, req: CredentialRequest): string | undefined {
  const authorization = req.headers.get('authorization')
  if (authorization?.toLowerCase().startsWith('bearer ')) {
    const token = authorization.slice(7).trim()
    // An API token is no session: a session sent beside it (the cookie) is still the one presented.
    if (token.startsWith(tokenPrefixes.session)) return token
  }
  const headerToken = readSessionTokenHeader(core.config, req.headers)
  if (headerToken !== undefined) return headerToken
  const cookie = readCookie(req.headers, core.config.cookie.name)
  return cookie === '' ? undefined : cookie
}

/** The stored session the request carries, whoever's it is (expiry unchecked), or null. */
export async function findPresentedSession(core: Core, req: CredentialRequest): Promise<SessionRecord | null> {
  const token = readPresentedSessionToken(core, req)
  if (token === undefined || token.length > 128) return null
  return core.storage.sessions.getByTokenHash(sha256Hex(token))
}

/**
 * Ends the session the request carries, whoever's it is. Used on logout, and on login so that a
 * session planted before login (fixation) never becomes an authenticated one.
 */
export async function endPresentedSession(core: Core, req: CredentialRequest): Promise<void> {
  const session = await findPresentedSession(core, req)
  if (session !== null) await core.storage.sessions.delete(session.id)
}
