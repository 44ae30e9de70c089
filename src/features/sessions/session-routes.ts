import { z } from 'zod'
import { sha256Hex } from '../../crypto/sha256.js'
import { emailField, normalizeEmail } from '../../http/email.js'
import { notFound, unauthenticated } from '../../errors/auth-error.js'
import { authenticate } from '../../http/authenticate.js'
import { decodeBasicCredentials } from '../../http/basic-credentials.js'
import { clearedSessionCookie } from '../../http/cookies.js'
import { clearedSessionCookies } from '../../http/session-header.js'
import { formFailure, readFormFlow } from '../../http/form-flow.js'
import { parseInput, readBody } from '../../http/read-input.js'
import { idParams } from '../../http/id-params.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import type { AuthRequest } from '../../http/types.js'
import type { Core } from '../../core.js'
import type { UserRecord } from '../../storage/ports.js'
import { validateToken } from '../tokens/validate-token.js'
import { requireManageScope } from '../tokens/token-grant.js'
import { tokenPrefixes } from '../../crypto/random-token.js'
import { invalidToken } from '../../errors/credential-errors.js'
import { verifyPasswordLogin } from '../passwords/verify-password-login.js'
import { endPresentedSession, findPresentedSession, readPresentedSessionToken } from './end-presented-session.js'
import { listSecondFactors } from '../second-factor/list-second-factors.js'
import { startSession } from './start-session.js'
import { isSessionLive } from './live-session.js'
import { toPublicUser } from '../../http/auth-context.js'
import { listSessions } from './list-sessions.js'
import { revokeSession } from './revoke-session.js'
import { toSessionListing } from './session-listing.js'

const loginPassword = z.string().min(1).max(4096)
const loginBody = z.object({ email: emailField, password: loginPassword })
// With `passwords.resolveLoginName`, `email` may also be a user name.
const loginNameBody = z.object({ email: z.string().trim().min(1).max(254), password: loginPassword })

/**
 * The e-mail a login name stands for: itself when it is an address, else the host's answer. A
 * name nobody has stays as it is: it matches no account, so it costs and answers as a wrong password.
 */
async function resolveLoginEmail(core: Core, name: string): Promise<string> {
  const address = emailField.safeParse(name)
  if (address.success) return address.data
  const resolved = await core.config.passwords.resolveLoginName!(name)
  return typeof resolved === 'string' ? normalizeEmail(resolved) : name
}

/** Credentials from a Basic header (Toggl, Cyclos) or the JSON body. */
async function readLoginCredentials(core: Core, req: AuthRequest): Promise<{ email: string; password: string }> {
  const schema = core.config.passwords.resolveLoginName === null ? loginBody : loginNameBody
  const authorization = req.headers.get('authorization')
  let credentials: { email: string; password: string }
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const basic = decodeBasicCredentials(authorization.slice(6).trim())
    credentials = parseInput(schema, basic === null ? {} : { email: basic.userName, password: basic.password })
  } else {
    credentials = await readBody(req, schema)
  }
  if (schema === loginBody) return credentials
  return { email: await resolveLoginEmail(core, credentials.email), password: credentials.password }
}

/**
 * The user of the access client a login without Basic credentials carries in the access-client
 * header (Cyclos `POST /auth/session` with `Access-Client-Token`), or null when there is none.
 */
async function readAccessClientLogin(core: Core, req: AuthRequest): Promise<UserRecord | null> {
  const secret = req.headers.get(core.config.tokens.accessClientHeader)?.trim()
  if (!secret || req.headers.get('authorization') !== null) return null
  return (await validateToken(core, secret, 'access_client')).user
}

/**
 * The user of the API token a login carries as `<api token>:api_token` Basic credentials, with
 * `tokens.basicLogin` on (Toggl `POST /me/sessions`), or null when it carries none. 401 for a
 * wrong token; 403 SCOPE_MISSING for one without the manage scope.
 */
async function readTokenLogin(core: Core, req: AuthRequest): Promise<UserRecord | null> {
  const authorization = req.headers.get('authorization')
  if (!core.config.tokens.basicLogin || !authorization?.toLowerCase().startsWith('basic ')) return null
  const credentials = decodeBasicCredentials(authorization.slice(6).trim())
  if (credentials?.password !== 'api_token' || !credentials.userName.startsWith(tokenPrefixes.apiToken)) return null
  const { record, user } = await validateToken(core, credentials.userName, 'api_token')
  if (user === null) throw invalidToken()
  requireManageScope(core, record)
  return user
}

export const sessionRoutes = [
  defineRoute({
    name: 'login',
    method: 'POST',
    path: '/session',
    access: 'public',
    failure: formFailure('login'),
    async handle({ core, req }) {
      const accessClient = await readAccessClientLogin(core, req)
      if (accessClient !== null) return answerSession(core, req, await startSession(core, req, accessClient, 'access_client'))
      const tokenUser = await readTokenLogin(core, req)
      if (tokenUser !== null) return answerSession(core, req, await startSession(core, req, tokenUser, 'api_token'))
      const credentials = await readLoginCredentials(core, req)
      const user = await verifyPasswordLogin(core, { ...credentials, ip: req.ip, req })
      const form = readFormFlow(core, req, 'login')
      return answerSession(core, req, await startSession(core, req, user, 'password'), form === null ? {} : { redirectTo: form.successUrl })
    },
  }),
  defineRoute({
    name: 'logout',
    method: 'DELETE',
    path: '/session',
    access: 'public',
    async handle({ core, req }) {
      // Throws 401 for a bad credential; an API token is a caller too, but only a session ends.
      if (core.config.sessions.logoutRequiresCredentials && (await authenticate(core, req)) === null) throw unauthenticated()
      const session = await findPresentedSession(core, req)
      await endPresentedSession(core, req)
      if (session !== null) await core.recordEvent({ type: 'logout', userId: session.userId, sessionId: session.id }, req)
      // For shaping only (Pupil answers the signed-out user's profile): who a live session belonged to, else null.
      const live = session !== null && isSessionLive(session, core.config.clock.now())
      const user = live ? await core.storage.users.getById(session.userId) : null
      return { status: 204, cookies: clearedSessionCookies(core.config), body: { user: user === null ? null : toPublicUser(user) } }
    },
  }),
  defineRoute({
    name: 'currentAuth',
    method: 'GET',
    path: '/session',
    access: 'user',
    async handle({ core, auth }) {
      const { context } = auth
      const secondFactors = await listSecondFactors(core, auth.user.id)
      return {
        status: 200,
        body: { user: context.user, session: context.session ?? null, token: context.token ?? null, method: context.method, factors: context.factors, secondFactors },
      }
    },
  }),
  defineRoute({
    name: 'sessionList',
    method: 'GET',
    path: '/sessions',
    access: 'user',
    async handle({ core, req, auth }) {
      const sessions = await listSessions(core, auth.user.id)
      const presented = readPresentedSessionToken(core, req)
      const currentHash = presented === undefined ? undefined : sha256Hex(presented)
      return {
        status: 200,
        body: sessions.map((session) => ({ ...toSessionListing(session), current: session.tokenHash === currentHash })),
      }
    },
  }),
  defineRoute({
    name: 'sessionRevoke',
    method: 'DELETE',
    path: '/sessions/:id',
    access: 'user',
    input: { params: idParams },
    async handle({ core, req, auth, input }) {
      if (!(await revokeSession(core, auth.user.id, input.params.id))) throw notFound('Session')
      await core.recordEvent({ type: 'session_revoked', revokedSessionId: input.params.id, userId: auth.user.id, sessionId: auth.session?.id }, req)
      const cookies = auth.session?.id === input.params.id && auth.context.method === 'cookie' ? [clearedSessionCookie(core.config)] : []
      return { status: 204, cookies }
    },
  }),
]
