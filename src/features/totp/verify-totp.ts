import type { Core } from '../../core.js'
import { factorNotEnabled } from '../second-factor/second-factor-errors.js'
import { throttleFactorAttempt } from '../second-factor/throttle-factor-attempt.js'
import { claimTotpCode, findTotpFactor, openTotpSecret } from './totp-factor.js'

/**
 * Checks a code against the user's confirmed TOTP: false for a wrong or expired code; AuthError
 * 401 CODE_ALREADY_USED for a replayed one, 401 FACTOR_UNREADABLE when the stored secret cannot
 * be decrypted, 400 FACTOR_NOT_ENABLED without a confirmed TOTP, 429 once the attempt limit is reached.
 */
export async function verifyTotp(core: Core, userId: string, code: string): Promise<boolean> {
  const factor = await findTotpFactor(core, userId, true)
  if (factor === null) throw factorNotEnabled()
  const secret = await openTotpSecret(core, factor)
  return throttleFactorAttempt(core, userId, 'totp', () => claimTotpCode(core, factor, secret, code))
}
