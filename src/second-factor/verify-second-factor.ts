import type { Core } from '../core.js'
import { useRecoveryCode } from '../totp/use-recovery-code.js'
import { verifyTotp } from '../totp/verify-totp.js'
import type { SecondFactorMethod } from './second-factor-method.js'
import { verifySecondaryPassword } from './secondary-password.js'

/**
 * Checks one second factor of the user: false when the code or password is wrong (or was used
 * before), 429 when that factor is locked by too many failures, 400 FACTOR_NOT_ENABLED when the
 * user does not have it. A recovery code that passes is spent.
 */
export function verifySecondFactor(core: Core, userId: string, method: SecondFactorMethod, code: string): Promise<boolean> {
  switch (method) {
    case 'totp':
      return verifyTotp(core, userId, code)
    case 'recovery_code':
      return useRecoveryCode(core, userId, code)
    case 'secondary_password':
      return verifySecondaryPassword(core, userId, code)
  }
}
