import { z } from 'zod'
import { notFound } from '../../errors/auth-error.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { invalidSecondFactor } from '../second-factor/second-factor-errors.js'
import { throttleFactorAttempt } from '../second-factor/throttle-factor-attempt.js'
import { confirmTotp } from './confirm-totp.js'
import { completeSecondFactor } from '../second-factor/complete-second-factor.js'
import { toPublicSession } from '../../http/auth-context.js'
import { sessionCookie } from '../../http/cookies.js'
import { sessionCookieMaxAgeSeconds } from '../sessions/issue-session.js'
import { disableTotp } from './disable-totp.js'
import { enableTotp } from './enable-totp.js'
import { verifyTotp } from './verify-totp.js'

const codeField = z.string().min(1).max(64)
const confirmBody = z.object({ code: codeField })
const disableBody = z
  .object({ code: codeField.optional(), password: z.string().min(1).max(4096).optional() })
  .refine((body) => (body.code === undefined) !== (body.password === undefined), 'give either code or password')

const noStore = [noStoreHeader]

export const totpRoutes = [
  defineRoute({
    name: 'totpEnable',
    method: 'POST',
    path: '/totp',
    access: 'user',
    async handle({ core, auth }) {
      return { status: 200, body: await enableTotp(core, auth.user.id), headers: noStore }
    },
  }),
  defineRoute({
    name: 'totpConfirm',
    method: 'POST',
    path: '/totp/confirm',
    access: 'user',
    input: { body: confirmBody },
    async handle({ core, req, auth, input }) {
      const recoveryCodes = await confirmTotp(core, auth.user.id, input.body.code)
      await core.recordEvent({ type: 'factor_added', factor: 'totp', userId: auth.user.id, sessionId: auth.session?.id }, req)
      if (auth.session === null) return { status: 200, body: { recoveryCodes }, headers: noStore }
      // The right code just proved the factor: the session counts it as used (step-up passes), rotated like any factor step.
      const issued = await completeSecondFactor(core, auth.session, 'totp', { ip: req.ip, userAgent: req.headers.get('user-agent') })
      const body = { recoveryCodes, session: toPublicSession(issued.session), ...(auth.context.method === 'cookie' ? {} : { token: issued.token }) }
      const cookies = auth.context.method === 'cookie' ? [sessionCookie(core.config, issued.token, sessionCookieMaxAgeSeconds(core, issued.session))] : []
      return { status: 200, body, cookies, headers: noStore }
    },
  }),
  defineRoute({
    name: 'totpDisable',
    method: 'DELETE',
    path: '/totp',
    access: 'user',
    input: { body: disableBody },
    async handle({ core, req, auth, input }) {
      const { code, password } = input.body
      const { user } = auth
      if ((await core.storage.factors.listByUser(user.id, 'totp')).length === 0) throw notFound('TOTP')
      if (code !== undefined) {
        if (!(await verifyTotp(core, user.id, code))) throw invalidSecondFactor()
      } else {
        const hash = user.passwordHash
        const passed = await throttleFactorAttempt(core, user.id, 'password', async () => hash !== null && core.passwords.verify(hash, password!))
        if (!passed) throw invalidCredentials('The password is wrong.')
      }
      await disableTotp(core, user.id)
      await core.recordEvent({ type: 'factor_removed', factor: 'totp', userId: user.id, sessionId: auth.session?.id }, req)
      return { status: 204 }
    },
  }),
]
