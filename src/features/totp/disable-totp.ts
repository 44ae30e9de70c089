import type { Core } from '../../core.js'
import { dropOrphanRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'

/** Removes the user's TOTP, confirmed or pending (recovery codes too when no other second factor is left). True when there was one. */
export async function disableTotp(core: Core, userId: string): Promise<boolean> {
  const removed = await core.storage.factors.deleteByUser(userId, 'totp')
  await dropOrphanRecoveryCodes(core, userId)
  return removed > 0
}
