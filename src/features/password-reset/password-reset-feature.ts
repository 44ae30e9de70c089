import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { completePasswordReset } from './password-reset-complete.js'
import { describePasswordReset } from './password-reset-info.js'
import { passwordResetOptions } from './password-reset-options.js'
import { requestPasswordReset } from './password-reset-request.js'
import { passwordResetRoutes } from './password-reset-routes.js'

export interface PasswordResetApi {
  passwordReset: {
    /** Mails a reset link when the address has an account; answers whether it did (routes never tell the client). */
    request: Operation<typeof requestPasswordReset>
    /** The masked e-mail and password policy behind a live key; 401 INVALID_TOKEN otherwise. */
    info: Operation<typeof describePasswordReset>
    /**
     * `complete(key, newPassword, { presentedSessionId? })`: sets the password and ends every session.
     * `presentedSessionId` as for `magicLinks.consume`: without the account's own complete session, a
     * first proof of an unverified address also ends the tokens and second factors made before.
     */
    complete: Operation<typeof completePasswordReset>
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
      info: bindOperation(core, describePasswordReset),
      complete: bindOperation(core, completePasswordReset),
    },
  }),
})
