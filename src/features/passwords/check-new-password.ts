import type { Core } from '../../core.js'
import { checkBreachedPassword } from './breached-password-check.js'
import { checkPasswordPolicy } from './password-policy.js'

/** A password someone is about to set: the policy first (no request leaves for a password it refuses), then the breach check. */
export async function checkNewPassword(core: Core, password: string, email: string | null, path: string): Promise<void> {
  checkPasswordPolicy(core.config, password, email, path)
  await checkBreachedPassword(core, password, path)
}
