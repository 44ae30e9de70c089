import { type PublicUser, toPublicUser } from '../../http/auth-context.js'
import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { consumeEmailVerification } from './consume-email-verification.js'
import { emailVerificationOptions } from './email-verification-options.js'
import { emailVerificationRoutes } from './email-verification-routes.js'
import { sendEmailVerification } from './send-email-verification.js'

export interface EmailVerificationApi {
  emailVerification: {
    /**
     * Mails a verification link to the account `userId` (or with the address `email`); answers
     * `{ sentTo, expiresAt }`, or null when nothing was sent (no such account, or verified
     * already). 404 FEATURE_DISABLED.
     */
    send: Operation<typeof sendEmailVerification>
    /**
     * Uses a link's token up and answers `{ user, outcome }`: 'verified' (the current address) or
     * 'changed' (the account moved to the address the link went to). 401 INVALID_TOKEN for an
     * unknown, used or expired one. Pass the session the request carried as `presentedSessionId`:
     * a first proof without the account's own complete session ends its sessions, tokens, factors
     * and password (pre-account hijacking). No session is begun.
     */
    verify(input: { token: string; presentedSessionId?: string | undefined }): Promise<{ user: PublicUser; outcome: 'verified' | 'changed' }>
  }
}

/** Verifying the account's e-mail address, optionally required before anything else; e-mail changes take effect once the new address is proven. */
export const emailVerificationFeature = defineFeature({
  name: 'emailVerification',
  options: emailVerificationOptions,
  stores: ['users', 'verifications', 'limits'],
  routes: emailVerificationRoutes,
  gate: (core): EmailVerificationApi => ({
    emailVerification: {
      send: bindOperation(core, sendEmailVerification),
      verify: async ({ token, presentedSessionId }) => {
        const { user, outcome } = await consumeEmailVerification(core, token, { presentedSessionId })
        return { user: toPublicUser(user), outcome }
      },
    },
  }),
})
