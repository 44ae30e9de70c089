import { z } from 'zod'
import { toPublicUser } from '../../http/auth-context.js'
import { emailField } from '../../http/email.js'
import { emailTaken } from '../../errors/account-errors.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { Core } from '../../core.js'
import { parseInput } from '../../http/read-input.js'
import { applyProfileInput } from '../../config/profile-field-options.js'
import { accountOptions } from './account-options.js'
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

// Other keys may be host-declared profile fields (`profileFields`): the handler checks them against the core's, strictly.
const profileBody = z
  .object({
    name: z.string().trim().min(1).max(200).nullable(),
    email: emailField,
    currentPassword: z.string().max(4096),
  })
  .partial()
  .catchall(z.union([z.string().max(100_000), z.boolean(), z.null()]))

/** The body's profile fields, refused (400) when one is unknown, read-only or of the wrong type. */
function readProfileFields(core: Core, extra: Record<string, unknown>): Record<string, unknown> {
  return parseInput(z.object(core.config.profileFields.writableShape).strict(), extra)
}

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
    async handle({ core, req, auth, input: { body } }) {
      const { name, email, currentPassword, ...extra } = body
      const input = { name, email, currentPassword }
      if (email !== undefined && !accountOptions.of(core).emailChange) {
        throw new AuthError('INVALID_REQUEST', { message: 'The e-mail cannot be changed here.', details: [{ path: 'email', message: 'Unrecognized key' }] })
      }
      const now = core.config.clock.now()
      const patch: UserPatch = { updatedAt: now }
      const profile = applyProfileInput(core.config.profileFields, auth.user.profile, readProfileFields(core, extra), now)
      if (profile !== null) patch.profile = profile
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
      if (accountOptions.of(core).unregisterNeedsPassword) await confirmCurrentPassword(core, auth.user, password, 'password')
      await unregisterUser(core, auth.user.id)
      return { status: 204, cookies: [clearedSessionCookie(core.config)] }
    },
  }),
]
