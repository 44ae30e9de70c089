import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { issueSession } from './issue-session.js'
import { listSessions } from './list-sessions.js'
import { revokeSession, revokeUserSessions } from './revoke-session.js'
import { sessionRoutes } from './session-routes.js'
import { validateSession } from './validate-session.js'

export interface SessionsApi {
  sessions: {
    /** Creates a session for a user (no second-factor check: the host decided); answers the token once and the record. */
    issue: Operation<typeof issueSession>
    /** The live session of a token; 401 when unknown, expired or revoked. Slides the idle timeout at most once per interval. */
    validate: Operation<typeof validateSession>
    /** The user's live sessions, oldest first. */
    list: Operation<typeof listSessions>
    /** Ends one session of the user; false when it was not theirs or is gone. */
    revoke: Operation<typeof revokeSession>
    /** Ends every session of the user but `exceptId`; answers how many. */
    revokeAll: Operation<typeof revokeUserSessions>
  }
}

/** Password login, logout, the current session, listing and revoking sessions. */
export const sessionsFeature = defineFeature({
  name: 'sessions',
  stores: ['users', 'sessions', 'limits'],
  routes: sessionRoutes,
  gate: (core): SessionsApi => ({
    sessions: {
      issue: bindOperation(core, issueSession),
      validate: bindOperation(core, validateSession),
      list: bindOperation(core, listSessions),
      revoke: bindOperation(core, revokeSession),
      revokeAll: bindOperation(core, revokeUserSessions),
    },
  }),
  deleteUser: async (core, userId) => {
    await core.storage.sessions.deleteByUser(userId)
  },
})
