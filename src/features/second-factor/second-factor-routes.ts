import { z } from 'zod'
import { AuthError } from '../../errors/auth-error.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import { completeSecondFactor } from './complete-second-factor.js'
import { listSecondFactors } from './list-second-factors.js'
import { invalidSecondFactor } from './second-factor-errors.js'
import { codeSecondFactorMethodNames } from './second-factor-method.js'
import { verifySecondFactor } from './verify-second-factor.js'
import { secondFactorOptions } from './second-factor-options.js'
import type { Core } from '../../core.js'
import { sha256Hex } from '../../crypto/sha256.js'
import type { AuthRequest } from '../../http/types.js'
import type { SessionRecord } from '../../storage/ports.js'
import { readPresentedSessionToken } from '../sessions/end-presented-session.js'

const verifyBody = z.object({ method: z.enum(codeSecondFactorMethodNames), code: z.string().min(1).max(4096) })

/** The request's own session token when `secondFactor.keepSessionToken` says completing keeps it (Cyclos). */
function keptSessionToken(core: Core, req: AuthRequest, session: SessionRecord): string | undefined {
  if (!secondFactorOptions.of(core).keepSessionToken) return undefined
  const token = readPresentedSessionToken(core, req)
  return token !== undefined && sha256Hex(token) === session.tokenHash ? token : undefined
}

export const secondFactorRoutes = [
  defineRoute({
    name: 'secondFactorInfo',
    method: 'GET',
    path: '/session/second-factor',
    access: 'pending',
    async handle({ core, auth }) {
      return { status: 200, body: { secondFactors: await listSecondFactors(core, auth.user.id) } }
    },
  }),
  defineRoute({
    name: 'secondFactorVerify',
    method: 'POST',
    path: '/session/second-factor',
    access: 'pending',
    input: { body: verifyBody },
    async handle({ core, req, auth, input }) {
      const { method, code } = input.body
      // The factor is recorded on a session; Basic credentials have none to record it on.
      if (auth.session === null) throw new AuthError('FORBIDDEN', { message: 'A second factor completes a session; sign in first.' })
      const event = { factor: method, userId: auth.user.id, sessionId: auth.session.id }
      let passed: boolean
      try {
        passed = await verifySecondFactor(core, auth.user.id, method, code)
      } catch (error) {
        if (error instanceof AuthError && error.code === 'RATE_LIMITED') await core.recordEvent({ type: 'factor_locked', ...event }, req)
        throw error
      }
      if (!passed) {
        await core.recordEvent({ type: 'login_failed', reason: 'INVALID_CODE', email: auth.user.email, userId: auth.user.id, sessionId: auth.session.id }, req)
        throw invalidSecondFactor()
      }
      const issued = await completeSecondFactor(core, auth.session, method, { ip: req.ip, userAgent: req.headers.get('user-agent') }, keptSessionToken(core, req, auth.session))
      await core.recordEvent({ type: 'factor_used', ...event, sessionId: issued.session.id }, req)
      return answerSession(core, req, { user: auth.user, issued, secondFactors: [] })
    },
  }),
]
