import type { Core } from '../../core.js'

/** Ends one session of a user. False when it does not exist or belongs to someone else. */
export async function revokeSession(core: Core, userId: string, sessionId: string): Promise<boolean> {
  const session = await core.storage.sessions.getById(sessionId)
  if (session === null || session.userId !== userId) return false
  return core.storage.sessions.delete(sessionId)
}

/** Ends every session of a user, but `exceptSessionId` when given. */
export function revokeUserSessions(core: Core, userId: string, exceptSessionId?: string): Promise<number> {
  return core.storage.sessions.deleteByUser(userId, exceptSessionId)
}
