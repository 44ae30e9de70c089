import { z } from 'zod'
import { localeField, readPreferredLocales } from '../../delivery/choose-locale.js'
import { AuthError, secondFactorRequired } from '../../errors/auth-error.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { defineRoute } from '../../http/route.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { otpPurposeField, secondFactorPurpose } from './otp-code.js'
import { sendOtpCode } from './send-otp-code.js'
import { otpOptions } from './otp-options.js'

const sendBody = z.object({
  medium: z.enum(['email', 'sms']),
  purpose: otpPurposeField.optional(),
  locale: localeField.optional(),
})

export const otpRoutes = [
  defineRoute({
    name: 'otpSend',
    method: 'POST',
    path: '/otp',
    access: 'pending',
    input: { body: sendBody },
    async handle({ core, req, auth, input: { body: input } }) {
      const { delivery } = core.config
      const otp = otpOptions.of(core)
      if (delivery.email === null && delivery.sms === null) throw new AuthError('FEATURE_DISABLED', { message: 'One-time codes are not enabled.' })
      const purpose = input.purpose ?? secondFactorPurpose
      // A session still waiting for its second factor may ask only for the code that completes it.
      if (auth.session?.pendingSecondFactor === true && purpose !== secondFactorPurpose) throw secondFactorRequired()
      if (req.ip !== undefined) await enforceRateLimit(core, `otp:ip:${clientIpKey(req.ip)}`, otp.rateLimits.perIp)
      await enforceRateLimit(core, `otp:user:${auth.user.id}`, otp.rateLimits.perAddress)
      const sent = await sendOtpCode(core, auth.user.id, {
        medium: input.medium,
        purpose,
        locales: readPreferredLocales(req.headers, input.locale),
      })
      return { status: 202, body: { sentTo: sent.sentTo }, headers: [['cache-control', 'no-store']] }
    },
  }),
]
