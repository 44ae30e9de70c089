import { defineFeature } from '../feature.js'
import { confirmTotp } from './confirm-totp.js'
import { disableTotp } from './disable-totp.js'
import { type TotpEnrolment, enableTotp } from './enable-totp.js'
import { totpRoutes } from './totp-routes.js'
import { verifyTotp } from './verify-totp.js'

export interface TotpApi {
  totp: {
    /**
     * Starts an enrolment for the user: `{ secret, otpauthUrl, qrCodeSvg }`, shown this once, for
     * the authenticator app; inactive until confirmed. 409 CONFLICT when TOTP is already on, 404 for an unknown user.
     * `activate: true`: active at once, no confirm step and no recovery codes, replacing any TOTP the user had.
     */
    enable(input: { userId: string; activate?: boolean | undefined }): Promise<TotpEnrolment>
    /** Activates the enrolment with a correct code; answers the new recovery codes (shown this once). 401 INVALID_CODE for a wrong code, 404 without an enrolment, 409 when already confirmed. */
    confirm(input: { userId: string; code: string }): Promise<string[]>
    /** True for a correct, unused code of the user's confirmed TOTP, false otherwise; throttled (429), 400 FACTOR_NOT_ENABLED without TOTP. */
    verify(input: { userId: string; code: string }): Promise<boolean>
    /** Removes TOTP without further checks (the host authorised the call). True when there was one. */
    disable(input: { userId: string }): Promise<boolean>
  }
}

/** TOTP (RFC 6238) enrolment, confirmation and removal. */
export const totpFeature = defineFeature({
  name: 'totp',
  stores: ['factors', 'limits'],
  routes: totpRoutes,
  gate: (core): TotpApi => ({
    totp: {
      enable: ({ userId, activate }) => enableTotp(core, userId, { activate }),
      confirm: ({ userId, code }) => confirmTotp(core, userId, code),
      verify: ({ userId, code }) => verifyTotp(core, userId, code),
      disable: ({ userId }) => disableTotp(core, userId),
    },
  }),
  loginOptions: () => ({ totp: true }),
})
