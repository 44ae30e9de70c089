import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { invalidSecondFactor, totpAlreadyEnabled } from '../second-factor/second-factor-errors.js'
import { throttleFactorAttempt } from '../second-factor/throttle-factor-attempt.js'
import { regenerateRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { claimTotpCode, findTotpFactor, openTotpSecret } from './totp-factor.js'

/**
 * Activates the pending TOTP enrolment once the user shows a correct code (proof the app has the
 * secret), and answers a fresh set of recovery codes: the only time they are shown.
 */
export async function confirmTotp(core: Core, userId: string, code: string): Promise<string[]> {
  const factor = await findTotpFactor(core, userId, false)
  if (factor === null) {
    if ((await findTotpFactor(core, userId, true)) !== null) throw totpAlreadyEnabled()
    throw new AuthError('NOT_FOUND', { message: 'There is no TOTP enrolment to confirm; enable TOTP first.' })
  }
  const secret = await openTotpSecret(core, factor)
  if (!(await throttleFactorAttempt(core, userId, 'totp', () => claimTotpCode(core, factor, secret, code)))) throw invalidSecondFactor()
  await core.storage.factors.update(factor.id, { confirmedAt: core.config.clock.now() })
  return regenerateRecoveryCodes(core, userId)
}
