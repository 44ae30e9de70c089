import { z } from 'zod'
import type { Core } from '../../core.js'
import { localeField, readPreferredLocales } from '../../delivery/choose-locale.js'
import { emailField } from '../../http/email.js'
import { rejectCrossSiteRequest } from '../../http/csrf.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { answerFormOrJson, formFailure } from '../../http/form-flow.js'
import { prefersJsonToPage, wantsJson } from '../../http/accept-preference.js'
import { parseInput } from '../../http/read-input.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { findPresentedSession } from '../sessions/end-presented-session.js'
import { startSession } from '../sessions/start-session.js'
import { consumeMagicLink } from './consume-magic-link.js'
import { magicLinkConfirmPage, magicLinkFailedPage } from './magic-link-page.js'
import { assertMagicLinksEnabled, resolveMagicLinkRedirect } from './magic-link-redirect.js'
import { sendMagicLink } from './send-magic-link.js'
import { magicLinkOptions } from './magic-link-options.js'

const token = z.string().min(1).max(256)

const sendBody = z.object({ email: emailField, redirectTo: z.string().max(2048).optional(), locale: localeField.optional() })
const tokenQuery = z.object({ token })
const optionalToken = z.object({ token: token.optional() })

/** Uses the token up and signs in: 200 `{ user, session }` for programs, 303 to the redirect target for browsers. */
async function signInWithLink(core: Core, req: AuthRequest, linkToken: string, json: boolean): Promise<AuthResponse> {
  const consumed = await consumeMagicLink(core, linkToken, { presentedSessionId: (await findPresentedSession(core, req))?.id })
  await core.recordEvent({ type: 'magic_link_used', userId: consumed.user.id }, req)
  const started = await startSession(core, req, consumed.user, 'magic_link')
  return answerSession(core, req, started, json ? {} : { redirectTo: consumed.redirectTo })
}

export const magicLinkRoutes = [
  defineRoute({
    name: 'magicLinkSend',
    method: 'POST',
    path: '/magic-link',
    access: 'public',
    input: { body: sendBody },
    failure: formFailure('magicLinkSend'),
    async handle({ core, req, input: { body } }) {
      assertMagicLinksEnabled(core)
      const redirectTo = resolveMagicLinkRedirect(core, body.redirectTo)
      const { rateLimits } = magicLinkOptions.of(core)
      if (req.ip !== undefined) await enforceRateLimit(core, `magic_link:ip:${clientIpKey(req.ip)}`, rateLimits.perIp)
      await enforceRateLimit(core, `magic_link:address:${body.email}`, rateLimits.perAddress)
      const locales = readPreferredLocales(req.headers, body.locale)
      // Whether the address has an account decides only work done after the answer, so the answer cannot tell.
      core.background.run('magicLinkSend', async () => {
        const sent = await sendMagicLink(core, { email: body.email, redirectTo, locales })
        if (sent !== null) await core.recordEvent({ type: 'magic_link_sent', userId: (await core.storage.users.getByEmail(body.email))?.id ?? null }, req)
      })
      return answerFormOrJson(core, req, 'magicLinkSend', { status: 202 })
    },
  }),
  defineRoute({
    name: 'magicLinkVerify',
    method: 'GET',
    path: '/magic-link/verify',
    access: 'public',
    input: { query: tokenQuery },
    async handle({ core, req, input: { query } }) {
      assertMagicLinksEnabled(core)
      // HEAD (link checkers) only ever sees the page; a GET that signs in must not come from another site's script.
      if (req.method !== 'GET' || !prefersJsonToPage(req.headers.get('accept'))) return magicLinkConfirmPage(core, query.token)
      rejectCrossSiteRequest(core, req)
      return signInWithLink(core, req, query.token, true)
    },
  }),
  defineRoute({
    name: 'magicLinkVerify',
    method: 'POST',
    path: '/magic-link/verify',
    access: 'public',
    input: { body: optionalToken, query: optionalToken },
    // A browser pressed the page's button: it gets a page it can read, not JSON.
    failure: (error, { core, req }) => (wantsJson(req.headers.get('accept')) ? undefined : magicLinkFailedPage(core, error.status, error.message)),
    async handle({ core, req, input: { body, query } }) {
      assertMagicLinksEnabled(core)
      return signInWithLink(core, req, body.token ?? parseInput(tokenQuery, query).token, wantsJson(req.headers.get('accept')))
    },
  }),
]
