import type { Core } from '../../core.js'
import { invalidRequest } from '../../errors/auth-error.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import type { UserRecord } from '../../storage/ports.js'
import { runThrottledCheck } from '../../http/throttled-check.js'

const wrongPassword = () => invalidCredentials('The current password is wrong.')

/**
 * 401 unless `password` is the user's current one; accounts without a password pass (nothing to
 * confirm). A missing one is 400 naming `field`: a 401 would sign an SPA out for a form mistake. A stolen session must not be a way to guess the password: wrong ones count against
 * `rateLimits.passwordConfirmPerUser`, one count per user for every route that asks, and a right
 * one clears it.
 */
export async function confirmCurrentPassword(core: Core, user: UserRecord, password: string | undefined, field: string): Promise<void> {
  const { passwordHash } = user
  if (passwordHash === null) return
  // No password given is no guess, so it is not counted.
  if (password === undefined) throw invalidRequest([{ path: field, message: 'is required: the account has a password' }])
  const limit = { key: `password_confirm:user:${user.id}`, rule: core.config.rateLimits.passwordConfirmPerUser, onPass: 'reset' } as const
  if (!(await runThrottledCheck(core, [limit], () => core.passwords.verify(passwordHash, password)))) throw wrongPassword()
}
