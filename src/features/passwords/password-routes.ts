import { z } from 'zod'
import { emailField } from '../../http/email.js'
import { AuthError } from '../../errors/auth-error.js'
import { readBody } from '../../http/read-input.js'
import type { RouteDefinition } from '../../http/route.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { beginSession } from '../sessions/session-routes.js'
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

export const passwordRoutes: RouteDefinition[] = [
  {
    name: 'signup',
    method: 'POST',
    path: '/signup',
    access: 'public',
    async handle({ core, req }) {
      if (!core.config.signupEnabled) throw new AuthError('FORBIDDEN', { message: 'Sign-up is closed.' })
      const input = await readBody(req, signupBody)
      if (req.ip !== undefined) await enforceRateLimit(core, `signup:ip:${req.ip}`, core.config.rateLimits.signupPerIp)
      const user = await signUp(core, input)
      return beginSession(core, req, user, 'password', 201)
    },
  },
  {
    name: 'passwordChange',
    method: 'POST',
    path: '/password',
    access: 'user',
    async handle({ core, req, auth }) {
      const { currentPassword, newPassword } = await readBody(req, passwordChangeBody)
      await changePassword(core, auth.user, currentPassword, newPassword, auth.session?.id)
      return { status: 204 }
    },
  },
]
