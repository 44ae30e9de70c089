import type { Core } from '../../core.js'
import { secondFactorPurpose } from '../otp/otp-code.js'
import { verifyOtpCode } from '../otp/verify-otp-code.js'
import { useRecoveryCode } from '../recovery-codes/use-recovery-code.js'
import { verifyTotp } from '../totp/verify-totp.js'
import { listSecondFactors } from './list-second-factors.js'
import { factorNotEnabled } from './second-factor-errors.js'
import type { CodeSecondFactorMethod } from './second-factor-method.js'
import { verifySecondaryPassword } from './secondary-password.js'
import { throttleFactorAttempt } from './throttle-factor-attempt.js'

/** A code from otpSend, accepted only where listSecondFactors offers 'otp'. */
async function verifySentCode(core: Core, userId: string, code: string): Promise<boolean> {
  if (!(await listSecondFactors(core, userId)).includes('otp')) throw factorNotEnabled()
  return throttleFactorAttempt(core, userId, 'otp', () => verifyOtpCode(core, userId, code, secondFactorPurpose))
}

/**
 * Checks one second factor of the user: false when the code or password is wrong (or was used
 * before), 429 when that factor is locked by too many failures, 400 FACTOR_NOT_ENABLED when the
 * user does not have it. A recovery code or sent code that passes is spent. (A passkey answers a
 * challenge instead of a code: passkeyLogin completes the step.)
 */
export function verifySecondFactor(core: Core, userId: string, method: CodeSecondFactorMethod, code: string): Promise<boolean> {
  switch (method) {
    case 'totp':
      return verifyTotp(core, userId, code)
    case 'recovery_code':
      return useRecoveryCode(core, userId, code)
    case 'secondary_password':
      return verifySecondaryPassword(core, userId, code)
    case 'otp':
      return verifySentCode(core, userId, code)
  }
}
