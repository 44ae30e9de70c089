import type { Core } from '../../core.js'
import type { SessionRecord } from '../../storage/ports.js'
import { isSessionLive } from './live-session.js'

/** The user's live sessions (expired ones left out). */
export async function listSessions(core: Core, userId: string): Promise<SessionRecord[]> {
  const now = core.config.clock.now()
  const sessions = await core.storage.sessions.listByUser(userId)
  return sessions.filter((session) => isSessionLive(session, now))
}
