import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { changePassword, setPassword } from './change-password.js'
import { checkPasswordPolicy, describePasswordPolicy } from './password-policy.js'
import { passwordRoutes } from './password-routes.js'
import { signUp } from './sign-up.js'
import { verifyPasswordLogin } from './verify-password-login.js'

export interface PasswordsApi {
  users: {
    /** Creates a user (a password, or null for one who signs in otherwise); 409 CONFLICT when the e-mail is taken. */
    signUp: Operation<typeof signUp>
  }
  passwords: {
    /** The user whose e-mail and password these are, or 401 INVALID_CREDENTIALS; throttled per account and IP (429). */
    verifyLogin: Operation<typeof verifyPasswordLogin>
    /** Checks the current password, sets the new one and ends the user's other sessions. */
    change: Operation<typeof changePassword>
    /** Sets a password through the policy without checking the old one; ends outstanding one-time secrets. */
    set: Operation<typeof setPassword>
    /** 400 WEAK_PASSWORD unless the password meets the policy. */
    checkPolicy(password: string, email: string | null): void
  }
}

/** Sign-up with a password, password change, and the password policy. */
export const passwordsFeature = defineFeature({
  name: 'passwords',
  stores: ['users', 'limits'],
  routes: passwordRoutes,
  gate: (core): PasswordsApi => ({
    users: { signUp: bindOperation(core, signUp) },
    passwords: {
      verifyLogin: bindOperation(core, verifyPasswordLogin),
      change: bindOperation(core, changePassword),
      set: bindOperation(core, setPassword),
      checkPolicy: (password, email) => checkPasswordPolicy(core.config, password, email, 'password'),
    },
  }),
  loginOptions: (core) => ({ password: true, signup: core.config.signupEnabled, passwordPolicy: describePasswordPolicy(core.config) }),
})
