import { defineFeature } from '../feature.js'
import { recoveryCodeRoutes } from './recovery-code-routes.js'
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.js'

export interface RecoveryCodesApi {
  secondFactor: {
    /** Replaces the user's recovery codes; answers the new ones (shown this once). 400 FACTOR_NOT_ENABLED without TOTP or a secondary password. */
    regenerateRecoveryCodes(input: { userId: string }): Promise<string[]>
  }
}

/** Single-use recovery codes beside TOTP. */
export const recoveryCodesFeature = defineFeature({
  name: 'recoveryCodes',
  stores: ['factors'],
  routes: recoveryCodeRoutes,
  gate: (core): RecoveryCodesApi => ({ secondFactor: { regenerateRecoveryCodes: ({ userId }) => regenerateRecoveryCodes(core, userId) } }),
})
