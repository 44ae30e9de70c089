import { defineFeature } from '../feature.js'
import { otpOptions } from './otp-options.js'
import { otpRoutes } from './otp-routes.js'
import { type OtpCodeSent, type SendOtpCodeInput, sendOtpCode } from './send-otp-code.js'
import { verifyOtpCode } from './verify-otp-code.js'

export interface OtpApi {
  otp: {
    /**
     * Sends the user a one-time code by e-mail or SMS for `purpose` (default 'second_factor');
     * answers `{ sentTo, expiresAt }`, the addresses masked. 400 MEDIUM_UNAVAILABLE or
     * NO_PHONE_NUMBER, 404 for an unknown user, 502 DELIVERY_FAILED.
     */
    send(input: SendOtpCodeInput & { userId: string }): Promise<OtpCodeSent>
    /** True for the user's current code of `purpose` (default 'second_factor'), used up then; false otherwise, never throws. 5 wrong tries kill it. */
    verify(input: { userId: string; code: string; purpose?: string | undefined }): Promise<boolean>
  }
}

/** One-time codes by e-mail or SMS: a second factor when allowed, and codes for a host's own actions. */
export const otpFeature = defineFeature({
  name: 'otp',
  options: otpOptions,
  stores: ['users', 'verifications', 'limits'],
  routes: otpRoutes,
  gate: (core): OtpApi => ({
    otp: {
      send: ({ userId, ...input }) => sendOtpCode(core, userId, input),
      verify: ({ userId, code, purpose }) => verifyOtpCode(core, userId, code, purpose),
    },
  }),
  loginOptions: ({ config: { delivery } }) => ({ otp: [...(delivery.email === null ? [] : ['email']), ...(delivery.sms === null ? [] : ['sms'])] }),
})
