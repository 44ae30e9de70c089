import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { factorNotEnabled } from '../second-factor/second-factor-errors.js'
import { createRecoveryCode, hashRecoveryCode } from './recovery-code.js'
import { secondFactorOptions } from '../second-factor/second-factor-options.js'

/** Factors recovery codes stand in for: without one of these, recovery codes have nothing to recover. */
async function hasPrimarySecondFactor(core: Core, userId: string): Promise<boolean> {
  const factors = await core.storage.factors.listByUser(userId)
  return factors.some((factor) => factor.kind !== 'recovery_code' && factor.confirmedAt !== null)
}

/**
 * Replaces the user's recovery codes with `recoveryCodeCount` new ones (the old set stops
 * working) and answers them in clear: the only time they exist outside the user's hands.
 * 400 FACTOR_NOT_ENABLED when the user has no confirmed TOTP or secondary password.
 */
export async function regenerateRecoveryCodes(core: Core, userId: string): Promise<string[]> {
  if (!(await hasPrimarySecondFactor(core, userId))) throw factorNotEnabled()
  const { random, clock } = core.config
  const secondFactor = secondFactorOptions.of(core)
  await core.storage.factors.deleteByUser(userId, 'recovery_code')
  const now = clock.now()
  const codes = Array.from({ length: secondFactor.recoveryCodeCount }, () => createRecoveryCode(random))
  for (const code of codes) {
    await core.storage.factors.create({
      id: createId(random),
      userId,
      kind: 'recovery_code',
      secret: hashRecoveryCode(code)!,
      confirmedAt: now,
      lastUsedStep: null,
      createdAt: now,
      name: null,
      data: null,
      lastUsedAt: null,
    })
  }
  return codes
}

/** Removes recovery codes once the last factor they back up is gone. */
export async function dropOrphanRecoveryCodes(core: Core, userId: string): Promise<void> {
  if (!(await hasPrimarySecondFactor(core, userId))) await core.storage.factors.deleteByUser(userId, 'recovery_code')
}
