import type { Core } from '../../core.js'
import { invalidToken } from '../../errors/credential-errors.js'
import { type IssuedSession, issueSession } from '../sessions/issue-session.js'
import type { SessionRecord } from '../../storage/ports.js'

export interface SessionClient {
  ip?: string | null | undefined
  userAgent?: string | null | undefined
}

/**
 * Records a second factor the caller just passed on their session, by rotation: a new session
 * (new token) with the old factors plus this one replaces the old record, so a token seen before
 * the step is worth nothing after it. A pending session becomes complete with the full lifetime;
 * a complete one (step-up) keeps its absolute end. 401 when the session is already gone.
 * `keptToken` (the session's own token, with `secondFactor.keepSessionToken`) replaces the record
 * but not the token, for clients that have nowhere to receive a new one.
 */
export async function completeSecondFactor(core: Core, session: SessionRecord, method: string, client: SessionClient = {}, keptToken?: string): Promise<IssuedSession> {
  // Deleting first makes the rotation single-use: of two concurrent completions only one gets a session.
  if (!(await core.storage.sessions.delete(session.id))) throw invalidToken()
  const now = core.config.clock.now()
  return issueSession(core, {
    userId: session.userId,
    factors: [...session.factors, { method, at: now }],
    lifetimeSeconds: session.pendingSecondFactor ? undefined : Math.max(1, Math.ceil((session.expiresAt - now) / 1000)),
    ip: client.ip,
    userAgent: client.userAgent,
  }, keptToken)
}
