import { z } from 'zod'
import type { Core } from '../../core.js'
import { localeField, readPreferredLocales } from '../../delivery/choose-locale.js'
import { AuthError, unauthenticated } from '../../errors/auth-error.js'
import { prefersJsonToPage, wantsJson } from '../../http/accept-preference.js'
import { toPublicUser } from '../../http/auth-context.js'
import { authenticate } from '../../http/authenticate.js'
import { rejectCrossSiteRequest } from '../../http/csrf.js'
import { emailField } from '../../http/email.js'
import { noStoreHeader } from '../../http/no-store.js'
import { parseInput } from '../../http/read-input.js'
import { defineRoute } from '../../http/route.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import { findPresentedSession } from '../sessions/end-presented-session.js'
import { consumeEmailVerification } from './consume-email-verification.js'
import { assertEmailVerificationEnabled } from './email-verification-access.js'
import { limitVerificationMail } from './email-verification-limits.js'
import { emailVerificationOptions } from './email-verification-options.js'
import { emailVerificationConfirmPage, emailVerificationFailedPage } from './email-verification-page.js'
import { sendEmailVerification } from './send-email-verification.js'

const token = z.string().min(1).max(256)
const sendBody = z.object({ email: emailField.optional(), locale: localeField.optional() })
const tokenQuery = z.object({ token })
const optionalToken = z.object({ token: token.optional() })

/** Uses the link up: 200 `{ user }` for programs, 303 to `emailVerification.redirectTo` for browsers. No session is begun. */
async function verifyWithLink(core: Core, req: AuthRequest, linkToken: string, json: boolean): Promise<AuthResponse> {
  const presented = await findPresentedSession(core, req)
  const { user, outcome, previousEmail } = await consumeEmailVerification(core, linkToken, { presentedSessionId: presented?.id })
  const sessionId = presented?.userId === user.id ? presented.id : null
  await core.recordEvent(
    outcome === 'changed' ? { type: 'email_changed', previousEmail: previousEmail!, userId: user.id, sessionId } : { type: 'email_verified', userId: user.id, sessionId },
    req,
  )
  if (!json) return { status: 303, redirect: emailVerificationOptions.of(core).redirectTo, headers: [noStoreHeader, ['referrer-policy', 'no-referrer']] }
  return { status: 200, body: { user: toPublicUser(user) }, headers: [noStoreHeader] }
}

export const emailVerificationRoutes = [
  defineRoute({
    name: 'emailVerificationSend',
    method: 'POST',
    path: '/email-verification',
    // Public so that `{ email }` works signed out, and a session pending verification may ask again.
    access: 'public',
    input: { body: sendBody },
    async handle({ core, req, input: { body } }) {
      assertEmailVerificationEnabled(core)
      const locales = readPreferredLocales(req.headers, body.locale)
      if (body.email !== undefined) {
        const email = body.email
        await limitVerificationMail(core, req, email)
        // Whether the address has an unverified account decides only work done after the answer, so the answer cannot tell.
        core.background.run('emailVerificationSend', () => sendEmailVerification(core, { email, locales }))
        return { status: 202 }
      }
      const auth = await authenticate(core, req)
      if (auth === null) throw unauthenticated()
      if (auth.user.emailVerifiedAt !== null) throw new AuthError('CONFLICT', { message: 'The e-mail address is verified already.' })
      await limitVerificationMail(core, req, auth.user.id)
      const sent = await sendEmailVerification(core, { userId: auth.user.id, locales })
      return { status: 202, body: { sentTo: sent === null ? [] : [sent.sentTo] } }
    },
  }),
  defineRoute({
    name: 'emailVerificationVerify',
    method: 'GET',
    path: '/email-verification/verify',
    access: 'public',
    input: { query: tokenQuery },
    async handle({ core, req, input: { query } }) {
      assertEmailVerificationEnabled(core)
      // HEAD and browsers only ever see the page; a GET that verifies must not come from another site's script.
      if (req.method !== 'GET' || !prefersJsonToPage(req.headers.get('accept'))) return emailVerificationConfirmPage(core, query.token)
      rejectCrossSiteRequest(core, req)
      return verifyWithLink(core, req, query.token, true)
    },
  }),
  defineRoute({
    name: 'emailVerificationVerify',
    method: 'POST',
    path: '/email-verification/verify',
    access: 'public',
    input: { body: optionalToken, query: optionalToken },
    // A browser pressed the page's button: it gets a page it can read, not JSON.
    failure: (error, { core, req }) => (wantsJson(req.headers.get('accept')) ? undefined : emailVerificationFailedPage(core, error.status, error.message)),
    async handle({ core, req, input: { body, query } }) {
      assertEmailVerificationEnabled(core)
      return verifyWithLink(core, req, body.token ?? parseInput(tokenQuery, query).token, wantsJson(req.headers.get('accept')))
    },
  }),
]
