import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { completeSecondFactor } from './complete-second-factor.js'
import { listSecondFactors } from './list-second-factors.js'
import { secondFactorOptions } from './second-factor-options.js'
import { secondFactorRoutes } from './second-factor-routes.js'
import { removeSecondaryPassword, setSecondaryPassword } from './secondary-password.js'
import { verifySecondFactor } from './verify-second-factor.js'

export interface SecondFactorApi {
  secondFactor: {
    /** The user's second factors ('totp', 'recovery_code', 'secondary_password', and 'otp' when allowed); empty means no second step. */
    list: Operation<typeof listSecondFactors>
    /** Checks one factor (a recovery code is spent when it passes); false when wrong, 429 when locked. */
    verify: Operation<typeof verifySecondFactor>
    /** Rotates a session after its user passed a factor: the new session records it and is no longer pending. */
    complete: Operation<typeof completeSecondFactor>
    /** Turns on (or replaces) the user's secondary password: logins then need it as a second step. */
    setSecondaryPassword: Operation<typeof setSecondaryPassword>
    /** Turns the secondary password off. True when there was one. */
    removeSecondaryPassword: Operation<typeof removeSecondaryPassword>
  }
}

/** The second step of a sign-in: the pending session, its factors, and the secondary password. */
export const secondFactorFeature = defineFeature({
  name: 'secondFactor',
  options: secondFactorOptions,
  stores: ['sessions', 'factors', 'limits'],
  routes: secondFactorRoutes,
  gate: (core): SecondFactorApi => ({
    secondFactor: {
      list: bindOperation(core, listSecondFactors),
      verify: bindOperation(core, verifySecondFactor),
      complete: bindOperation(core, completeSecondFactor),
      setSecondaryPassword: bindOperation(core, setSecondaryPassword),
      removeSecondaryPassword: bindOperation(core, removeSecondaryPassword),
    },
  }),
  deleteUser: async (core, userId) => {
    await core.storage.factors.deleteByUser(userId)
  },
})
