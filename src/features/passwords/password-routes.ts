import { z } from 'zod'
import { emailField } from '../../http/email.js'
import { AuthError } from '../../errors/auth-error.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { answerFormOrJson, formFailure, readFormFlow } from '../../http/form-flow.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import { toPublicUser } from '../../http/auth-context.js'
import { noStoreHeader } from '../../http/no-store.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { startSession } from '../sessions/start-session.js'
import { queueSignUpVerification } from '../email-verification/sign-up-verification.js'
import { changePassword } from './change-password.js'
import { signUp } from './sign-up.js'

const signupBody = z.object({
  email: emailField,
  password: z.string().max(4096),
  name: z.string().trim().min(1).max(200).optional(),
})

const passwordChangeBody = z.object({
  currentPassword: z.string().max(4096).optional(),
  newPassword: z.string().max(4096),
})

export const passwordRoutes = [
  defineRoute({
    name: 'signup',
    method: 'POST',
    path: '/signup',
    access: 'public',
    input: { body: signupBody },
    failure: formFailure('signup'),
    async handle({ core, req, input: { body: input } }) {
      if (!core.config.signupEnabled) throw new AuthError('FORBIDDEN', { message: 'Sign-up is closed.' })
      if (req.ip !== undefined) await enforceRateLimit(core, `signup:ip:${clientIpKey(req.ip)}`, core.config.rateLimits.signupPerIp)
      const user = await signUp(core, input)
      await core.recordEvent({ type: 'signup', userId: user.id }, req)
      queueSignUpVerification(core, req, user)
      if (!core.config.signupStartsSession) return answerFormOrJson(core, req, 'signup', { status: 201, body: { user: toPublicUser(user) }, headers: [noStoreHeader] })
      const form = readFormFlow(core, req, 'signup')
      return answerSession(core, req, await startSession(core, req, user, 'password'), form === null ? { status: 201 } : { redirectTo: form.successUrl })
    },
  }),
  defineRoute({
    name: 'passwordChange',
    method: 'POST',
    path: '/password',
    access: 'user',
    input: { body: passwordChangeBody },
    async handle({ core, req, auth, input }) {
      const { currentPassword, newPassword } = input.body
      await changePassword(core, auth.user, currentPassword, newPassword, auth.session?.id)
      await core.recordEvent({ type: 'password_changed', userId: auth.user.id, sessionId: auth.session?.id }, req)
      return { status: 204 }
    },
  }),
]
