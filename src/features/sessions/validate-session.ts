import type { Core } from '../../core.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import type { SessionRecord } from '../../storage/ports.js'

/** 401 for a session token, or session id, that names no live session. */
export const invalidSession = () => new AuthError('INVALID_TOKEN', 401, 'The session token is not valid.')

/**
 * The live session for a token, or throws 401. Checks the idle and absolute timeouts and slides
 * the idle timeout, writing lastSeenAt at most once per refresh interval so that a guarded
 * request does not cost a store write.
 */
export async function validateSession(core: Core, token: string): Promise<SessionRecord> {
  if (!token.startsWith(tokenPrefixes.session) || token.length > 128) throw invalidSession()
  const session = await core.storage.sessions.getByTokenHash(sha256Hex(token))
  if (session === null) throw invalidSession()
  const { clock, sessions } = core.config
  const now = clock.now()
  if (now >= session.expiresAt || now >= session.idleExpiresAt) {
    await core.storage.sessions.delete(session.id)
    throw new AuthError('SESSION_EXPIRED', 401, 'The session has expired.')
  }
  if (now - session.lastSeenAt >= sessions.refreshIntervalSeconds * 1000) {
    session.lastSeenAt = now
    session.idleExpiresAt = now + sessions.idleTimeoutSeconds * 1000
    await core.storage.sessions.touch(session.id, session.lastSeenAt, session.idleExpiresAt)
  }
  return session
}
