import { z } from 'zod'
import { localeField, readPreferredLocales } from '../../delivery/choose-locale.js'
import { emailField } from '../../http/email.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { answerFormOrJson, formFailure } from '../../http/form-flow.js'
import { defineRoute } from '../../http/route.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { completePasswordReset } from './password-reset-complete.js'
import { describePasswordReset } from './password-reset-info.js'
import { assertPasswordResetEnabled } from './password-reset-key.js'
import { requestPasswordReset } from './password-reset-request.js'
import { findPresentedSession } from '../sessions/end-presented-session.js'
import { passwordResetOptions } from './password-reset-options.js'

const key = z.string().min(1).max(512)
const requestBody = z.object({ email: emailField, locale: localeField.optional() })
const infoQuery = z.object({ key })
const completeBody = z.object({ key, newPassword: z.string().max(4096) })

export const passwordResetRoutes = [
  defineRoute({
    name: 'passwordResetRequest',
    method: 'POST',
    path: '/password-reset',
    access: 'public',
    input: { body: requestBody },
    failure: formFailure('passwordResetRequest'),
    async handle({ core, req, input: { body: input } }) {
      assertPasswordResetEnabled(core)
      const { rateLimits } = passwordResetOptions.of(core)
      if (req.ip !== undefined) await enforceRateLimit(core, `password_reset:ip:${clientIpKey(req.ip)}`, rateLimits.perIp)
      await enforceRateLimit(core, `password_reset:address:${input.email}`, rateLimits.perAddress)
      const locales = readPreferredLocales(req.headers, input.locale)
      // Whether the address has an account decides only work done after the answer, so the answer cannot tell.
      core.background.run('passwordResetRequest', () => requestPasswordReset(core, { email: input.email, locales }))
      return answerFormOrJson(core, req, 'passwordResetRequest', { status: 202 })
    },
  }),
  defineRoute({
    name: 'passwordResetInfo',
    method: 'GET',
    path: '/password-reset',
    access: 'public',
    input: { query: infoQuery },
    async handle({ core, req, input }) {
      const { key: resetKey } = input.query
      return { status: 200, body: await describePasswordReset(core, resetKey), headers: [['cache-control', 'no-store'], ['referrer-policy', 'no-referrer']] }
    },
  }),
  defineRoute({
    name: 'passwordResetComplete',
    method: 'POST',
    path: '/password-reset/complete',
    access: 'public',
    input: { body: completeBody },
    failure: formFailure('passwordResetComplete'),
    async handle({ core, req, input: { body: input } }) {
      const user = await completePasswordReset(core, input.key, input.newPassword, { presentedSessionId: (await findPresentedSession(core, req))?.id })
      await core.recordEvent({ type: 'password_reset', userId: user.id }, req)
      return answerFormOrJson(core, req, 'passwordResetComplete', { status: 204 })
    },
  }),
]
