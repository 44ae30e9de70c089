import type { Core } from '../../core.js'
import type { SessionRecord } from '../../storage/ports.js'

/** Whether neither the idle nor the absolute timeout has passed. */
export function isSessionLive(session: SessionRecord, now: number): boolean {
  return now < session.expiresAt && now < session.idleExpiresAt
}

/** The user's live session with this id; null when it is gone, expired or someone else's. */
export async function findLiveSession(core: Core, userId: string, sessionId: string): Promise<SessionRecord | null> {
  const session = await core.storage.sessions.getById(sessionId)
  return session !== null && session.userId === userId && isSessionLive(session, core.config.clock.now()) ? session : null
}
