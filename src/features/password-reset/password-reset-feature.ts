import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { completePasswordReset } from './password-reset-complete.js'
import { type PasswordResetInfo, describePasswordReset } from './password-reset-info.js'
import { passwordResetOptions } from './password-reset-options.js'
import { requestPasswordReset } from './password-reset-request.js'
import { passwordResetRoutes } from './password-reset-routes.js'

export interface PasswordResetApi {
  passwordReset: {
    /** Mails a reset link when the address has an account; answers whether it did (a host's route must not tell its client). 404 FEATURE_DISABLED. */
    request: Operation<typeof requestPasswordReset>
    /** `{ email, passwordPolicy }` (the e-mail masked) behind a live key, which stays usable; 401 INVALID_TOKEN otherwise. */
    info(input: { key: string }): Promise<PasswordResetInfo>
    /**
     * Sets `newPassword` with the key and ends every session of the user. 401 INVALID_TOKEN, 400
     * WEAK_PASSWORD (the key stays usable then). `presentedSessionId` as for `magicLinks.consume`:
     * without the account's own complete session, a first proof of an unverified address also ends
     * the tokens and second factors made before.
     */
    complete(input: { key: string; newPassword: string; presentedSessionId?: string | undefined }): Promise<void>
  }
}

/** The forgotten-password flow: request a mailed key, read what it is for, set a new password with it. */
export const passwordResetFeature = defineFeature({
  name: 'passwordReset',
  options: passwordResetOptions,
  stores: ['users', 'verifications', 'limits', 'sessions'],
  routes: passwordResetRoutes,
  gate: (core): PasswordResetApi => ({
    passwordReset: {
      request: bindOperation(core, requestPasswordReset),
      info: ({ key }) => describePasswordReset(core, key),
      complete: async ({ key, newPassword, presentedSessionId }) => {
        await completePasswordReset(core, key, newPassword, { presentedSessionId })
      },
    },
  }),
})
