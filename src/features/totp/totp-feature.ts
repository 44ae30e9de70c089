import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { confirmTotp } from './confirm-totp.js'
import { disableTotp } from './disable-totp.js'
import { enableTotp } from './enable-totp.js'
import { totpRoutes } from './totp-routes.js'
import { verifyTotp } from './verify-totp.js'

export interface TotpApi {
  totp: {
    /** Starts an enrolment for a user: `{ secret, otpauthUrl, qrCodeSvg }`; inactive until confirmed. 409 when TOTP is already on. */
    enable: Operation<typeof enableTotp>
    /** Activates the enrolment with a correct code; answers the new recovery codes (shown once). */
    confirm: Operation<typeof confirmTotp>
    /** True for a correct, unused code of the user's confirmed TOTP; throttled (429), 400 FACTOR_NOT_ENABLED without TOTP. */
    verify: Operation<typeof verifyTotp>
    /** Removes TOTP without further checks (the host authorised the call). True when there was one. */
    disable: Operation<typeof disableTotp>
  }
}

/** TOTP (RFC 6238) enrolment, confirmation and removal. */
export const totpFeature = defineFeature({
  name: 'totp',
  stores: ['factors', 'limits'],
  routes: totpRoutes,
  gate: (core): TotpApi => ({
    totp: {
      enable: bindOperation(core, enableTotp),
      confirm: bindOperation(core, confirmTotp),
      verify: bindOperation(core, verifyTotp),
      disable: bindOperation(core, disableTotp),
    },
  }),
  loginOptions: () => ({ totp: true }),
})
