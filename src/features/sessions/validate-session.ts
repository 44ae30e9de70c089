import { type MaybePromise, thenMaybe } from '../../async/maybe-promise.js'
import type { Core } from '../../core.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { invalidToken } from '../../errors/credential-errors.js'
import type { SessionRecord, WithUser } from '../../storage/ports.js'

/**
 * The live session for a token with its user (null when the user is gone), or throws 401. One
 * store call (getWithUser), answered in the same tick when the store holds it in process. Checks
 * the idle and absolute timeouts and slides the idle timeout: lastSeenAt is written at most once
 * per refresh interval, after the response (background), so a guarded request waits on no store write.
 */
export function validateSession(core: Core, token: string): MaybePromise<WithUser<SessionRecord>> {
  if (!token.startsWith(tokenPrefixes.session) || token.length > 128) throw invalidToken()
  return thenMaybe(core.storage.sessions.getWithUser(sha256Hex(token), core.storage.users), (found) => checkLiveSession(core, found))
}

function checkLiveSession(core: Core, found: WithUser<SessionRecord> | null): MaybePromise<WithUser<SessionRecord>> {
  if (found === null) throw invalidToken()
  const session = found.record
  const { clock, sessions } = core.config
  const now = clock.now()
  if (now >= session.expiresAt || now >= session.idleExpiresAt) return endExpiredSession(core, session.id)
  if (now - session.lastSeenAt >= sessions.refreshIntervalSeconds * 1000) {
    session.lastSeenAt = now
    session.idleExpiresAt = now + sessions.idleTimeoutSeconds * 1000
    const { id, lastSeenAt, idleExpiresAt } = session
    core.background.run('session refresh', () => core.storage.sessions.touch(id, lastSeenAt, idleExpiresAt))
  }
  return found
}

async function endExpiredSession(core: Core, id: string): Promise<never> {
  await core.storage.sessions.delete(id)
  throw new AuthError('SESSION_EXPIRED')
}
