import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { type PublicUser, toPublicUser } from '../../http/auth-context.js'
import { normalizeEmail } from '../../http/email.js'
import type { UserRecord } from '../../storage/ports.js'
import { defineFeature } from '../feature.js'
import { changePassword, setPassword } from './change-password.js'
import { checkPasswordPolicy, describePasswordPolicy } from './password-policy.js'
import { passwordRoutes } from './password-routes.js'
import { signUp } from './sign-up.js'
import { verifyPasswordLogin } from './verify-password-login.js'

export interface PasswordsApi {
  users: {
    /**
     * Creates a user with a password, or with `password: null` for one who signs in otherwise
     * (the policy applies to a password). The e-mail is trimmed and lower-cased as the routes do.
     * Answers the public user; 409 CONFLICT when the e-mail is taken, 400 WEAK_PASSWORD.
     */
    signUp(input: { email: string; password: string | null; name?: string | null | undefined }): Promise<PublicUser>
  }
  passwords: {
    /**
     * The public user whose e-mail and password these are, or 401 INVALID_CREDENTIALS; throttled
     * per account and, with `ip`, per IP (429). The e-mail is normalised as for signUp.
     */
    verifyLogin(input: { email: string; password: string; ip?: string | undefined }): Promise<PublicUser>
    /**
     * Checks `currentPassword` (omit it for an account without one), sets `newPassword` and ends
     * the user's sessions but `keepSessionId`. 401 INVALID_CREDENTIALS, 400 WEAK_PASSWORD, 404 for an unknown user.
     */
    change(input: { userId: string; currentPassword?: string | undefined; newPassword: string; keepSessionId?: string | undefined }): Promise<void>
    /**
     * Sets a password through the policy without checking the old one (the host authorised it);
     * ends outstanding one-time secrets and, unless `tokens.revokeOnPasswordChange` is false, the
     * user's tokens. Sessions stay. 400 WEAK_PASSWORD, 404 for an unknown user.
     */
    set(input: { userId: string; newPassword: string }): Promise<void>
    /** 400 WEAK_PASSWORD unless the password meets the policy (and, with `email`, is not the address). */
    checkPolicy(input: { password: string; email?: string | null | undefined }): void
  }
}

async function loadUser(core: Core, userId: string): Promise<UserRecord> {
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  return user
}

/** Sign-up with a password, password change, and the password policy. */
export const passwordsFeature = defineFeature({
  name: 'passwords',
  stores: ['users', 'limits'],
  routes: passwordRoutes,
  gate: (core): PasswordsApi => ({
    users: {
      signUp: async (input) => toPublicUser(await signUp(core, { ...input, email: normalizeEmail(input.email) })),
    },
    passwords: {
      verifyLogin: async (input) => toPublicUser(await verifyPasswordLogin(core, { ...input, email: normalizeEmail(input.email) })),
      change: async ({ userId, currentPassword, newPassword, keepSessionId }) =>
        changePassword(core, await loadUser(core, userId), currentPassword, newPassword, keepSessionId),
      set: async ({ userId, newPassword }) => setPassword(core, await loadUser(core, userId), newPassword),
      checkPolicy: ({ password, email }) => checkPasswordPolicy(core.config, password, email ?? null, 'password'),
    },
  }),
  loginOptions: (core) => ({ password: true, signup: core.config.signupEnabled, passwordPolicy: describePasswordPolicy(core.config) }),
})
