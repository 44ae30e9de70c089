import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { factorNotEnabled } from '../second-factor/second-factor-errors.js'
import { throttleFactorAttempt } from '../second-factor/throttle-factor-attempt.js'
import { hashRecoveryCode } from './recovery-code.js'

/**
 * Spends one of the user's recovery codes: true once per code (deleting it is atomic, so two
 * requests with one code cannot both pass), false for a wrong or used one, 429 once the attempt
 * limit is reached, 400 FACTOR_NOT_ENABLED when the user has none.
 */
export async function useRecoveryCode(core: Core, userId: string, code: string): Promise<boolean> {
  const factors = await core.storage.factors.listByUser(userId, 'recovery_code')
  if (factors.length === 0) throw factorNotEnabled()
  return throttleFactorAttempt(core, userId, 'recovery_code', async () => {
    const hash = hashRecoveryCode(code)
    if (hash === null) return false
    const match = factors.find((factor) => equalsConstantTime(factor.secret, hash))
    return match !== undefined && (await core.storage.factors.delete(match.id))
  })
}
