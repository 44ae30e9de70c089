import { z } from 'zod'
import { toPublicUser } from '../../http/auth-context.js'
import { emailField } from '../../http/email.js'
import { emailTaken } from '../../errors/account-errors.js'
import { notFound } from '../../errors/auth-error.js'
import { clearedSessionCookie } from '../../http/cookies.js'
import { defineRoute } from '../../http/route.js'
import { confirmCurrentPassword } from '../passwords/confirm-current-password.js'
import type { UserPatch } from '../../storage/ports.js'
import { unregisterUser } from './unregister-user.js'
import { readPreferredLocales } from '../../delivery/choose-locale.js'
import { emailVerificationAvailable } from '../email-verification/email-verification-access.js'
import { limitVerificationMail } from '../email-verification/email-verification-limits.js'
import type { EmailVerificationSent } from '../email-verification/send-email-verification.js'
import { requestEmailChange } from '../email-verification/request-email-change.js'

const profileBody = z
  .object({
    name: z.string().trim().min(1).max(200).nullable(),
    email: emailField,
    currentPassword: z.string().max(4096),
  })
  .partial()
  .strict()

const unregisterBody = z.object({ password: z.string().max(4096).optional() })

export const accountRoutes = [
  defineRoute({
    name: 'profileGet',
    method: 'GET',
    path: '/profile',
    access: 'user',
    async handle({ auth }) {
      return { status: 200, body: { user: auth.context.user } }
    },
  }),
  defineRoute({
    name: 'profileUpdate',
    method: 'PATCH',
    path: '/profile',
    access: 'user',
    input: { body: profileBody },
    async handle({ core, req, auth, input: { body: input } }) {
      const patch: UserPatch = { updatedAt: core.config.clock.now() }
      if (input.name !== undefined) patch.name = input.name
      let emailChange: EmailVerificationSent | undefined
      if (input.email !== undefined && input.email !== auth.user.email) {
        // Moving the account to another address is a takeover path: it needs the password when there is one.
        await confirmCurrentPassword(core, auth.user, input.currentPassword, 'currentPassword')
        if (emailVerificationAvailable(core)) {
          // The move waits until the new address is proven (emailVerificationVerify).
          await limitVerificationMail(core, req, auth.user.id)
          emailChange = await requestEmailChange(core, auth.user, input.email, readPreferredLocales(req.headers))
        } else {
          patch.email = input.email
          patch.emailVerifiedAt = null
        }
      }
      const outcome = await core.storage.users.update(auth.user.id, patch)
      if (outcome === 'email_taken') throw emailTaken()
      const user = await core.storage.users.getById(auth.user.id)
      if (outcome === 'not_found' || user === null) throw notFound('User')
      const pending = emailChange === undefined ? {} : { emailChange: { pending: true, sentTo: emailChange.sentTo } }
      return { status: 200, body: { user: toPublicUser(user), ...pending } }
    },
  }),
  defineRoute({
    name: 'unregister',
    method: 'POST',
    path: '/unregister',
    access: 'user',
    input: { body: unregisterBody },
    async handle({ core, req, auth, input }) {
      const { password } = input.body
      await confirmCurrentPassword(core, auth.user, password, 'password')
      await unregisterUser(core, auth.user.id)
      return { status: 204, cookies: [clearedSessionCookie(core.config)] }
    },
  }),
]
