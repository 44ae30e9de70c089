import type { Core } from '../../core.js'
import { maskEmail } from '../../http/email.js'
import { type PasswordPolicy, describePasswordPolicy } from '../passwords/password-policy.js'
import { assertPasswordResetEnabled, findPasswordReset } from './password-reset-key.js'

export interface PasswordResetInfo {
  /** Masked, e.g. 'j***@example.com'. */
  email: string
  passwordPolicy: PasswordPolicy
}

/** What a reset page shows before asking for the new password; does not use the key up. 401 INVALID_TOKEN for a bad key. */
export async function describePasswordReset(core: Core, key: string): Promise<PasswordResetInfo> {
  assertPasswordResetEnabled(core)
  const { user } = await findPasswordReset(core, key)
  return { email: maskEmail(user.email), passwordPolicy: describePasswordPolicy(core.config) }
}
