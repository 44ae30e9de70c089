import { type PublicSession, toPublicSession } from '../../http/auth-context.js'
import type { SessionRecord } from '../../storage/ports.js'

/** A session as listings show it: the public session and where it was begun. */
export interface SessionListing extends PublicSession {
  ip: string | null
  userAgent: string | null
}

export function toSessionListing(session: SessionRecord): SessionListing {
  return { ...toPublicSession(session), ip: session.ip, userAgent: session.userAgent }
}
