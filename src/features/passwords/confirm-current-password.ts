import type { Core } from '../../core.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import type { UserRecord } from '../../storage/ports.js'

/** 401 unless `password` is the user's current one; accounts without a password pass (nothing to confirm). */
export async function confirmCurrentPassword(core: Core, user: UserRecord, password: string | undefined): Promise<void> {
  if (user.passwordHash === null) return
  if (password === undefined || !(await core.passwords.verify(user.passwordHash, password))) {
    throw invalidCredentials('The current password is wrong.')
  }
}
