import { type Authenticated, type CredentialMethod, toPublicFactors, toPublicSession, toPublicUser } from './auth-context.js'
import { type MaybePromise, isPromiseLike, thenMaybe } from '../async/maybe-promise.js'
import type { Core } from '../core.js'
import { normalizeEmail } from './email.js'
import { tokenPrefixes } from '../crypto/random-token.js'
import { decodeBasicCredentials } from './basic-credentials.js'
import { clearedSessionCookie, readCookie } from './cookies.js'
import { AuthError, secondFactorRequired } from '../errors/auth-error.js'
import { invalidCredentials, invalidToken } from '../errors/credential-errors.js'
import { readSessionTokenHeader } from './session-header.js'
import type { CredentialRequest } from './types.js'
import { requireMember } from '../features/workspaces/workspace-access.js'
import { verifyPasswordLogin } from '../features/passwords/verify-password-login.js'
import { listSecondFactors } from '../features/second-factor/list-second-factors.js'
import { validateSession } from '../features/sessions/validate-session.js'
import type { MemberRecord, SessionRecord, WithUser } from '../storage/ports.js'
import { authenticateToken } from '../features/tokens/authenticate-token.js'

function fromSession({ record: session, user }: WithUser<SessionRecord>, method: CredentialMethod): Authenticated {
  if (user === null) throw invalidToken()
  return {
    user,
    session,
    factors: session.factors,
    context: { user: toPublicUser(user), session: toPublicSession(session), method, factors: toPublicFactors(session.factors) },
  }
}

async function fromBasic(core: Core, req: CredentialRequest, encoded: string): Promise<Authenticated> {
  const credentials = decodeBasicCredentials(encoded)
  if (credentials === null) throw invalidCredentials()
  const { userName, password } = credentials
  // Toggl's form: the API token as user name and the literal 'api_token' as password.
  if (password === 'api_token' && userName.startsWith(tokenPrefixes.apiToken)) return authenticateToken(core, userName, 'api_token', 'basic')
  const email = normalizeEmail(userName)
  if (email.length > 254 || password.length > 4096) throw invalidCredentials()
  const user = await verifyPasswordLogin(core, { email, password, ip: req.ip, req })
  // Basic repeats the password on every request and has no room for a second factor: it must not bypass one.
  if ((await listSecondFactors(core, user.id)).length > 0) throw secondFactorRequired()
  const factors = [{ method: 'password', at: core.config.clock.now() }]
  return {
    user,
    session: null,
    factors,
    context: { user: toPublicUser(user), method: 'basic', factors: toPublicFactors(factors) },
  }
}

/** Splits 'Scheme value'; the scheme is case-insensitive. */
function parseAuthorization(header: string): { scheme: string; value: string } {
  const space = header.indexOf(' ')
  if (space <= 0) throw invalidCredentials()
  return { scheme: header.slice(0, space).toLowerCase(), value: header.slice(space + 1).trim() }
}

/**
 * Who is calling, from the first credential present, in this order: Authorization Bearer (a
 * session token `ghs_` or an API token `ghp_`), Authorization Basic (email:password, or
 * `<api token>:api_token`), the access-client header, the API-key header, the session-token
 * header (`authenticate.sessionTokenHeader`, joined with the split cookie), then the session
 * cookie. With `authenticate.workspaceHeader`, the workspace it names is checked and attached. Null when the request carries none; 401 AuthError when the one it carries is wrong,
 * expired or revoked. A session still waiting for a second factor is returned as is; callers
 * decide what it may do.
 */
export function authenticate(core: Core, req: CredentialRequest): MaybePromise<Authenticated | null> {
  const authorization = req.headers.get('authorization')
  if (authorization !== null) {
    const { scheme, value } = parseAuthorization(authorization)
    if (scheme === 'bearer') {
      if (value.startsWith(tokenPrefixes.apiToken)) return authenticateToken(core, value, 'api_token', 'bearer')
      return thenMaybe(validateSession(core, value), (found) => fromSession(found, 'bearer'))
    }
    if (scheme === 'basic') return fromBasic(core, req, value)
    throw invalidCredentials()
  }
  const { accessClientHeader, apiKeyHeader } = core.config.tokens
  const accessClient = req.headers.get(accessClientHeader)?.trim()
  if (accessClient) return authenticateToken(core, accessClient, 'access_client', 'access_client')
  const apiKey = req.headers.get(apiKeyHeader)?.trim()
  if (apiKey) return thenMaybe(authenticateToken(core, apiKey, 'api_token', 'api_key'), (auth) => withWorkspace(core, req, auth))
  const headerToken = readSessionTokenHeader(core.config, req.headers)
  if (headerToken !== undefined) {
    return thenMaybe(validateSession(core, headerToken), (found) => withWorkspace(core, req, fromSession(found, 'session_header')))
  }
  const token = readCookie(req.headers, core.config.cookie.name)
  if (token === undefined || token === '') return null
  // Spelled out rather than chained: the most common guarded request allocates no closure here.
  let found: MaybePromise<WithUser<SessionRecord>>
  try {
    found = validateSession(core, token)
  } catch (error) {
    throw withClearedCookie(core, error)
  }
  if (!isPromiseLike(found)) return withWorkspace(core, req, fromCookieSession(core, found))
  return Promise.resolve(found).then(
    (live) => withWorkspace(core, req, fromCookieSession(core, live)),
    (error: unknown) => Promise.reject(withClearedCookie(core, error)),
  )
}

function fromCookieSession(core: Core, found: WithUser<SessionRecord>): Authenticated {
  try {
    return fromSession(found, 'cookie')
  } catch (error) {
    throw withClearedCookie(core, error)
  }
}

/** The workspace the configured workspace header names, checked for membership (`foreignWorkspaceStatus` otherwise). */
function withWorkspace(core: Core, req: CredentialRequest, auth: Authenticated): MaybePromise<Authenticated> {
  const { workspaceHeader: header, foreignWorkspaceStatus, defaultWorkspace } = core.config.authenticate
  const workspaceId = header === null ? null : req.headers.get(header)?.trim()
  if (!workspaceId) return defaultWorkspace === null ? auth : withDefaultWorkspace(core, auth, defaultWorkspace)
  return withNamedWorkspace(core, auth, workspaceId, foreignWorkspaceStatus)
}

async function withNamedWorkspace(core: Core, auth: Authenticated, workspaceId: string, foreignWorkspaceStatus: 403 | 404): Promise<Authenticated> {
  let member: MemberRecord
  try {
    member = await requireMember(core, workspaceId, auth.user.id)
  } catch (error) {
    if (foreignWorkspaceStatus === 403 && error instanceof AuthError && error.code === 'NOT_FOUND') {
      throw new AuthError('FORBIDDEN', { message: 'You are not a member of the workspace the workspace header names.' })
    }
    throw error
  }
  return { ...auth, context: { ...auth.context, workspaceId: member.workspaceId, role: member.role } }
}

/** The host's default workspace of the user, when the user is a member of it; none otherwise (the client asked for nothing). */
async function withDefaultWorkspace(
  core: Core,
  auth: Authenticated,
  defaultWorkspace: (user: Authenticated['context']['user']) => string | null | Promise<string | null>,
): Promise<Authenticated> {
  const workspaceId = await defaultWorkspace(auth.context.user)
  const member = typeof workspaceId === 'string' && workspaceId.length > 0 && workspaceId.length <= 200 ? await core.storage.workspaces.getMember(workspaceId, auth.user.id) : null
  if (member === null) return auth
  return { ...auth, context: { ...auth.context, workspaceId: member.workspaceId, role: member.role } }
}

/**
 * A cookie whose session is unknown, expired or revoked gets its 401 with a Set-Cookie that
 * clears it, so the browser stops sending it. Not for other failures: a store that is down
 * (503) says nothing about the session.
 */
function withClearedCookie(core: Core, error: unknown): unknown {
  if (!(error instanceof AuthError) || error.status !== 401) return error
  const { message, details, headers, cookies } = error
  return new AuthError(error.code, { message, details, headers, cookies: [...cookies, clearedSessionCookie(core.config)], cause: error.cause })
}
