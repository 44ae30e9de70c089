import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { otpOptions } from './otp-options.js'
import { otpRoutes } from './otp-routes.js'
import { sendOtpCode } from './send-otp-code.js'
import { verifyOtpCode } from './verify-otp-code.js'

export interface OtpApi {
  otp: {
    /** Sends the user a one-time code by e-mail or SMS for `purpose`; answers where it went, masked. */
    send: Operation<typeof sendOtpCode>
    /** True for the user's current code of `purpose` (used up then); 5 wrong tries kill it. */
    verify: Operation<typeof verifyOtpCode>
  }
}

/** One-time codes by e-mail or SMS: a second factor when allowed, and codes for a host's own actions. */
export const otpFeature = defineFeature({
  name: 'otp',
  options: otpOptions,
  stores: ['users', 'verifications', 'limits'],
  routes: otpRoutes,
  gate: (core): OtpApi => ({ otp: { send: bindOperation(core, sendOtpCode), verify: bindOperation(core, verifyOtpCode) } }),
  loginOptions: ({ config: { delivery } }) => ({ otp: [...(delivery.email === null ? [] : ['email']), ...(delivery.sms === null ? [] : ['sms'])] }),
})
