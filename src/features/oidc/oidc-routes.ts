import { z } from 'zod'
import { applyProfileInput } from '../../config/profile-field-options.js'
import { parseInput } from '../../http/read-input.js'
import type { Core } from '../../core.js'
import { describeErrorForLog } from '../../errors/describe-error.js'
import { clearedSessionCookie } from '../../http/cookies.js'
import { AuthError } from '../../errors/auth-error.js'
import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import type { AuthRequest, AuthResponse, CookieToSet } from '../../http/types.js'
import { endPresentedSession } from '../sessions/end-presented-session.js'
import { startSession } from '../sessions/start-session.js'
import { finishOidcFlow, startOidcFlow } from './oidc-flow.js'
import { oidcOptions } from './oidc-options.js'
import { clearedOidcStateCookie, oidcStateCookie, readOidcStateCookie } from './oidc-state-cookie.js'
import { openProviderClient } from './oidc-provider-client.js'
import { endOidcSessions, findOidcSession, recordOidcSession } from './oidc-session-link.js'
import { signInWithIdToken } from './sign-in-with-id-token.js'
import { verifyLogoutToken } from './verify-logout-token.js'

// The provider's pages and ours carry codes and states in URLs: no Referer leaves with them.
const redirectHeaders: [string, string][] = [noStoreHeader, ['referrer-policy', 'no-referrer']]

/**
 * Every failure of a browser step, whatever threw: a 302 to the login page with `?error=CODE`, no
 * session, and the state cookie gone. Unexpected errors are logged and shown as INTERNAL_ERROR.
 */
function redirectToLoginPage(core: Core, req: AuthRequest, error: unknown): AuthResponse {
  if (!(error instanceof AuthError) || error.status >= 500) {
    core.config.logger.error(`oidc ${req.params.provider ?? ''}: ${describeErrorForLog(error)}`, {
      code: error instanceof AuthError ? error.code : 'INTERNAL_ERROR',
    })
  }
  const location = new URL(oidcOptions.of(core).loginPage, core.config.baseUrl.origin)
  location.searchParams.set('error', error instanceof AuthError ? error.code : 'INTERNAL_ERROR')
  const cookies = oidcOptions.of(core).providers.has(req.params.provider ?? '') ? [clearedOidcStateCookie(core, req.params.provider!)] : []
  return { status: 302, redirect: location.href, cookies, headers: redirectHeaders }
}

async function answerBrowserStep(core: Core, req: AuthRequest, step: () => Promise<AuthResponse>): Promise<AuthResponse> {
  try {
    return await step()
  } catch (error) {
    return redirectToLoginPage(core, req, error)
  }
}

/** Sends the browser to the provider with the state cookie that binds the flow to it. */
async function redirectToProvider(core: Core, req: AuthRequest, linkUserId: string | undefined): Promise<AuthResponse> {
  const provider = req.params.provider!
  const started = await startOidcFlow(core, { provider, returnTo: req.query().get('returnTo') ?? undefined, linkUserId })
  const maxAgeSeconds = Math.ceil((started.expiresAt - core.config.clock.now()) / 1000)
  const cookies: CookieToSet[] = [oidcStateCookie(core, provider, started.state, maxAgeSeconds)]
  return { status: 302, redirect: started.url, cookies, headers: redirectHeaders }
}

/**
 * Where the browser goes after its session ended: the provider's end_session_endpoint with the
 * ID token as id_token_hint (RP-initiated logout) when the session came from a provider that
 * has one, else the post-logout page.
 */
async function findLogoutTarget(core: Core, sessionId: string | undefined): Promise<string> {
  const { postLogoutRedirect } = oidcOptions.of(core)
  const origin = sessionId === undefined ? null : await findOidcSession(core, sessionId)
  if (origin === null || !oidcOptions.of(core).providers.has(origin.provider)) return postLogoutRedirect
  const { server, provider } = await openProviderClient(core, origin.provider)
  if (server.end_session_endpoint === undefined) return postLogoutRedirect
  const url = new URL(server.end_session_endpoint)
  url.searchParams.set('id_token_hint', origin.idToken)
  url.searchParams.set('client_id', provider.clientId)
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirect)
  return url.href
}

const tokenBody = z.object({
  idToken: z.string().min(1).max(16_384),
  nonce: z.string().min(1).max(512).optional(),
  // Checked against the declared profile fields in the handler, as profileUpdate checks them.
  profile: z.record(z.string(), z.union([z.string().max(100_000), z.boolean(), z.null()])).optional(),
})

export const oidcRoutes = [
  defineRoute({
    name: 'oidcStart',
    method: 'GET',
    path: '/oidc/:provider/login',
    access: 'public',
    handle: ({ core, req }) => answerBrowserStep(core, req, () => redirectToProvider(core, req, undefined)),
  }),
  defineRoute({
    name: 'oidcCallback',
    method: 'GET',
    path: '/oidc/:provider/callback',
    access: 'public',
    handle: ({ core, req }) =>
      answerBrowserStep(core, req, async () => {
        const provider = req.params.provider!
        const callbackUrl = new URL(`?${req.query().toString()}`, core.config.baseUrl)
        const finished = await finishOidcFlow(core, { provider, callbackUrl, state: readOidcStateCookie(core, req.headers) })
        const cleared = clearedOidcStateCookie(core, provider)
        if (finished.linked) return { status: 302, redirect: finished.returnTo, cookies: [cleared], headers: redirectHeaders }
        const started = await startSession(core, req, finished.user, 'oidc')
        await recordOidcSession(core, started.issued.session, finished.origin)
        const answer = answerSession(core, req, started, { redirectTo: finished.returnTo })
        return { ...answer, status: 302, cookies: [...(answer.cookies ?? []), cleared] }
      }),
  }),
  defineRoute({
    name: 'oidcLink',
    method: 'POST',
    path: '/oidc/:provider/link',
    access: 'user',
    handle: ({ core, req, auth }) => answerBrowserStep(core, req, () => redirectToProvider(core, req, auth.user.id)),
  }),
  defineRoute({
    name: 'oidcTokenLogin',
    method: 'POST',
    path: '/oidc/:provider/token',
    access: 'public',
    // The provider is checked as input: a shaped mount may fill it from the body (Pupil's `type`), and a missing one is a 400.
    input: { body: tokenBody, params: z.object({ provider: z.string().min(1).max(128) }) },
    async handle({ core, req, input: { body, params } }) {
      const fields = core.config.profileFields
      const given = body.profile === undefined ? undefined : parseInput(z.object(fields.writableShape).strict(), body.profile)
      const profile = given === undefined ? undefined : (applyProfileInput(fields, undefined, given, core.config.clock.now()) ?? undefined)
      const { user, origin } = await signInWithIdToken(core, { provider: params.provider, idToken: body.idToken, nonce: body.nonce, profile })
      const started = await startSession(core, req, user, 'oidc')
      await recordOidcSession(core, started.issued.session, origin)
      return answerSession(core, req, started)
    },
  }),
  defineRoute({
    name: 'oidcLogout',
    method: 'POST',
    path: '/oidc/logout',
    access: 'pending',
    async handle({ core, req, auth }) {
      let target: string
      try {
        target = await findLogoutTarget(core, auth.session?.id)
      } catch {
        // The provider being down must not keep anyone signed in here.
        target = oidcOptions.of(core).postLogoutRedirect
      }
      await endPresentedSession(core, req)
      return { status: 302, redirect: target, cookies: [clearedSessionCookie(core.config)], headers: redirectHeaders }
    },
  }),
  defineRoute({
    name: 'oidcBackchannelLogout',
    method: 'POST',
    path: '/oidc/:provider/backchannel-logout',
    access: 'public',
    // The provider posts server to server: no browser, no cookie, no Origin to check.
    csrf: false,
    input: { body: z.object({ logout_token: z.string().min(1).max(16_384) }) },
    async handle({ core, req, input: { body } }) {
      const connected = await openProviderClient(core, req.params.provider!)
      const named = await verifyLogoutToken(core, connected, body.logout_token)
      await endOidcSessions(core, connected.server.issuer, named)
      return { status: 200, headers: [noStoreHeader] }
    },
  }),
]
