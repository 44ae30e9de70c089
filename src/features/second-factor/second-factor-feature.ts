import { type PublicIssuedSession, toPublicIssuedSession } from '../sessions/issue-session.js'
import { findLiveSession } from '../sessions/live-session.js'
import { invalidToken } from '../../errors/credential-errors.js'
import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { completeSecondFactor } from './complete-second-factor.js'
import { listSecondFactors } from './list-second-factors.js'
import type { CodeSecondFactorMethod, SecondFactorMethod } from './second-factor-method.js'
import { secondFactorOptions } from './second-factor-options.js'
import { secondFactorRoutes } from './second-factor-routes.js'
import { removeSecondaryPassword, setSecondaryPassword } from './secondary-password.js'
import { verifySecondFactor } from './verify-second-factor.js'

export interface SecondFactorApi {
  secondFactor: {
    /** The user's second factors ('totp', 'recovery_code', 'secondary_password', 'otp' when allowed, 'passkey'); empty means no second step. */
    list(input: { userId: string }): Promise<SecondFactorMethod[]>
    /** Checks one factor (a recovery code or sent code is spent when it passes); false when wrong, 429 when locked, 400 FACTOR_NOT_ENABLED when the user lacks it. */
    verify(input: { userId: string; method: CodeSecondFactorMethod; code: string }): Promise<boolean>
    /**
     * Records a factor the user just passed (`verify`) on their live session, by rotation: answers
     * `{ token, session }`, the new secret shown this once and the public session, no longer
     * pending; the old token stops working. 401 INVALID_TOKEN when the session is gone, expired or another user's.
     */
    complete(input: {
      userId: string
      sessionId: string
      method: string
      ip?: string | null | undefined
      userAgent?: string | null | undefined
    }): Promise<PublicIssuedSession>
    /** Turns on (or replaces) the user's secondary password: logins then need it as a second step. 400 WEAK_PASSWORD, 404 for an unknown user. */
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
      list: ({ userId }) => listSecondFactors(core, userId),
      verify: ({ userId, method, code }) => verifySecondFactor(core, userId, method, code),
      complete: async ({ userId, sessionId, method, ip, userAgent }) => {
        const session = await findLiveSession(core, userId, sessionId)
        if (session === null) throw invalidToken()
        return toPublicIssuedSession(await completeSecondFactor(core, session, method, { ip, userAgent }))
      },
      setSecondaryPassword: bindOperation(core, setSecondaryPassword),
      removeSecondaryPassword: bindOperation(core, removeSecondaryPassword),
    },
  }),
  deleteUser: async (core, userId) => {
    await core.storage.factors.deleteByUser(userId)
  },
})
