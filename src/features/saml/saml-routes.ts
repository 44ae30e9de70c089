import { z } from 'zod'
import type { Core } from '../../core.js'
import { AuthError, invalidRequest, isAuthError, notFound } from '../../errors/auth-error.js'
import { prefersHtmlToJson } from '../../http/accept-preference.js'
import { toPublicUser } from '../../http/auth-context.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { emailField } from '../../http/email.js'
import { noStoreHeader } from '../../http/no-store.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { type FailureResponder, defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import { runThrottledCheck } from '../../http/throttled-check.js'
import type { AuthRequest } from '../../http/types.js'
import { startSession } from '../sessions/start-session.js'
import { type AcceptedSamlResponse, acceptSamlResponse } from './accept-saml-response.js'
import { confirmSamlLinkCode, linkSamlIdentity } from './link-saml-identity.js'
import { readSamlLinkCookie, samlLinkCookie } from './saml-link-cookie.js'
import { createSamlLoginUrl } from './saml-login-request.js'
import { renderSamlMetadata } from './saml-metadata.js'
import { samlOptions } from './saml-options.js'
import { resolveSamlSignIn } from './saml-sign-in.js'
import { describeServiceProvider } from './sso-config.js'

const workspaceParams = z.object({ workspaceId: z.string().max(200) })
const loginQuery = z
  .object({ email: emailField.optional(), workspaceId: z.string().min(1).max(200).optional(), returnTo: z.string().max(2048).optional() })
  .refine((query) => (query.email === undefined) !== (query.workspaceId === undefined), 'give either email or workspaceId')
// The size cap on SAMLResponse is the ACS's own (413), checked before decoding.
const acsBody = z.object({ SAMLResponse: z.string().min(1), RelayState: z.string().max(1024).optional() })
const linkBody = z.object({
  password: z.string().max(1024).optional(),
  linkToken: z.string().max(300).optional(),
  confirmationCode: z.string().min(1).max(300).optional(),
})

/** Programs ask for JSON; the IdP's auto-submitted form is a browser navigation. */
function wantsJson(req: AuthRequest): boolean {
  return (req.headers.get('accept') ?? '').toLowerCase().includes('application/json') && !prefersHtmlToJson(req.headers.get('accept'))
}

/**
 * A refused browser post lands on the login page with `?error=CODE` (and a pending link's cookie);
 * programs, and browsers too with `saml.acsFailure: 'json'`, get the JSON error. A pending link is
 * the flow's next step rather than a refusal: a browser is sent on to it in either mode.
 */
const acsFailure: FailureResponder = (error, { core, req }) => {
  if (wantsJson(req)) return undefined
  if (samlOptions.of(core).acsFailure === 'json' && error.code !== 'SSO_LINK_REQUIRED') return undefined
  const location = new URL(samlOptions.of(core).loginPage, core.config.baseUrl.origin)
  location.searchParams.set('error', error.code)
  return { status: 303, redirect: location.href, cookies: error.cookies, headers: [noStoreHeader, ['referrer-policy', 'no-referrer'], ...error.headers] }
}

/** The response, accepted; refusals (not successes) count against the per-IP limit. */
async function acceptCounted(core: Core, req: AuthRequest, workspaceId: string, body: z.infer<typeof acsBody>): Promise<AcceptedSamlResponse> {
  const rule = samlOptions.of(core).rateLimits.acsRefusalsPerIp
  const limits = req.ip === undefined ? [] : [{ key: `saml_acs:ip:${clientIpKey(req.ip)}`, rule, onPass: 'release' as const }]
  let accepted: AcceptedSamlResponse | undefined
  let failure: unknown
  const passed = await runThrottledCheck(core, limits, async () => {
    try {
      accepted = await acceptSamlResponse(core, workspaceId, body.SAMLResponse, body.RelayState)
      return true
    } catch (error) {
      failure = error
      // Every refused assertion is a security event, with its reason code (never the document).
      await core.recordEvent({ type: 'sso_assertion_rejected', reason: isAuthError(error) ? error.code : 'INTERNAL', workspaceId }, req)
      return false
    }
  })
  if (!passed || accepted === undefined) throw failure
  return accepted
}

export const samlRoutes = [
  defineRoute({
    name: 'samlLoginUrl',
    method: 'GET',
    path: '/saml/login',
    access: 'public',
    input: { query: loginQuery },
    async handle({ core, req, input: { query } }) {
      if (req.ip !== undefined) await enforceRateLimit(core, `saml_login:ip:${clientIpKey(req.ip)}`, samlOptions.of(core).rateLimits.loginPerIp)
      const target = query.email !== undefined ? { email: query.email } : { workspaceId: query.workspaceId! }
      const { ssoUrl } = await createSamlLoginUrl(core, { ...target, returnTo: query.returnTo })
      return { status: 200, body: { ssoUrl }, headers: [noStoreHeader] }
    },
  }),
  defineRoute({
    name: 'samlAcs',
    method: 'POST',
    path: '/saml/acs/:workspaceId',
    access: 'public',
    // The IdP's page posts here from its own origin: the signed response and its request are the proof.
    csrf: false,
    input: { params: workspaceParams, body: acsBody },
    failure: acsFailure,
    async handle({ core, req, input: { params, body } }) {
      const accepted = await acceptCounted(core, req, params.workspaceId, body)
      const signIn = await resolveSamlSignIn(core, accepted)
      if (signIn.kind === 'link_required') {
        const cookies = signIn.linkToken === null ? [] : [samlLinkCookie(core, signIn.linkToken)]
        throw new AuthError('SSO_LINK_REQUIRED', { cookies })
      }
      const sessionEnd = accepted.facts.assertion.sessionNotOnOrAfter
      const lifetimeSeconds = sessionEnd === null ? undefined : Math.max(1, Math.floor((sessionEnd - core.config.clock.now()) / 1000))
      const started = await startSession(core, req, signIn.user, 'saml', { lifetimeSeconds })
      return answerSession(core, req, started, wantsJson(req) ? {} : { redirectTo: accepted.returnTo })
    },
  }),
  defineRoute({
    name: 'samlMetadata',
    method: 'GET',
    path: '/saml/metadata/:workspaceId',
    access: 'public',
    input: { params: workspaceParams },
    async handle({ core, input: { params } }) {
      if ((await core.storage.workspaces.getById(params.workspaceId)) === null) throw notFound('Workspace')
      return { status: 200, headers: [['content-type', 'application/samlmetadata+xml; charset=utf-8']], body: renderSamlMetadata(describeServiceProvider(core, params.workspaceId)) }
    },
  }),
  defineRoute({
    name: 'ssoLink',
    method: 'POST',
    path: '/sso/link',
    access: 'public',
    input: { body: linkBody },
    async handle({ core, req, input: { body } }) {
      if (samlOptions.of(core).linkConfirmation === 'code' && body.confirmationCode === undefined) {
        throw invalidRequest([{ path: 'confirmationCode', message: 'is required: the code the SSO sign-in mailed to the account' }])
      }
      if (body.confirmationCode !== undefined) {
        const user = await confirmSamlLinkCode(core, req, body.confirmationCode)
        return { status: 200, body: { user: toPublicUser(user) } }
      }
      const linkToken = body.linkToken ?? readSamlLinkCookie(core, req.headers)
      if (linkToken === undefined) throw new AuthError('INVALID_TOKEN', { message: 'There is no pending SSO link: sign in through SSO first.' })
      const user = await linkSamlIdentity(core, req, { linkToken, password: body.password })
      return { status: 200, body: { user: toPublicUser(user) }, cookies: [samlLinkCookie(core, '', 0)] }
    },
  }),
]
