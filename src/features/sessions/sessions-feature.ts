import { type PublicFactorUse, type PublicSession, toPublicFactors, toPublicSession } from '../../http/auth-context.js'
import { defineFeature } from '../feature.js'
import { type IssueSessionInput, type PublicIssuedSession, issueSession, toPublicIssuedSession } from './issue-session.js'
import { checkIssueInput } from './check-issue-input.js'
import { listSessions } from './list-sessions.js'
import { revokeSession, revokeUserSessions } from './revoke-session.js'
import { type SessionListing, toSessionListing } from './session-listing.js'
import { sessionRoutes } from './session-routes.js'
import { validateSession } from './validate-session.js'

/** What `gate.sessions.validate` answers: whose session it is and how they signed in. */
export interface ValidatedSession {
  userId: string
  session: PublicSession
  /** Factors used to sign in, oldest first. */
  factors: PublicFactorUse[]
}

export interface SessionsApi {
  sessions: {
    /**
     * Creates a session for a user the host authenticated itself (no second-factor check: the
     * host decided). Answers `{ token, session }`: the secret, shown this once, and the public
     * session. 404 for a user id that names no user; a TypeError naming the field for wrong input.
     */
    issue(input: IssueSessionInput): Promise<PublicIssuedSession>
    /**
     * `{ userId, session, factors }` of the live session of a token; 401 INVALID_TOKEN or
     * SESSION_EXPIRED otherwise. Slides the idle timeout at most once per refresh interval.
     */
    validate(input: { token: string }): Promise<ValidatedSession>
    /** The user's live sessions, oldest first, with the ip and user agent each was begun from. */
    list(input: { userId: string }): Promise<SessionListing[]>
    /** Ends one session of the user; false when it was not theirs or is gone. */
    revoke(input: { userId: string; sessionId: string }): Promise<boolean>
    /** Ends every session of the user but `exceptSessionId`; answers how many. */
    revokeAll(input: { userId: string; exceptSessionId?: string | undefined }): Promise<number>
  }
}

/** Password login, logout, the current session, listing and revoking sessions. */
export const sessionsFeature = defineFeature({
  name: 'sessions',
  stores: ['users', 'sessions', 'limits'],
  routes: sessionRoutes,
  gate: (core): SessionsApi => ({
    sessions: {
      issue: async (input) => toPublicIssuedSession(await issueSession(core, await checkIssueInput(core, input))),
      validate: async ({ token }) => {
        const { record: session } = await validateSession(core, token)
        return { userId: session.userId, session: toPublicSession(session), factors: toPublicFactors(session.factors) }
      },
      list: async ({ userId }) => (await listSessions(core, userId)).map(toSessionListing),
      revoke: ({ userId, sessionId }) => revokeSession(core, userId, sessionId),
      revokeAll: ({ userId, exceptSessionId }) => revokeUserSessions(core, userId, exceptSessionId),
    },
  }),
  deleteUser: async (core, userId) => {
    await core.storage.sessions.deleteByUser(userId)
  },
})
