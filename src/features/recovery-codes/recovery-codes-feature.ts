import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { recoveryCodeRoutes } from './recovery-code-routes.js'
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.js'

export interface RecoveryCodesApi {
  secondFactor: {
    /** Replaces the user's recovery codes; answers the new ones (shown once). */
    regenerateRecoveryCodes: Operation<typeof regenerateRecoveryCodes>
  }
}

/** Single-use recovery codes beside TOTP. */
export const recoveryCodesFeature = defineFeature({
  name: 'recoveryCodes',
  stores: ['factors'],
  routes: recoveryCodeRoutes,
  gate: (core): RecoveryCodesApi => ({ secondFactor: { regenerateRecoveryCodes: bindOperation(core, regenerateRecoveryCodes) } }),
})
