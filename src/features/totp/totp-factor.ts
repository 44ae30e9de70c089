import type { Core } from '../../core.js'
import { openSecret } from '../../crypto/secret-box.js'
import type { FactorRecord } from '../../storage/ports.js'
import { matchTotpCode } from './totp-code.js'
import { secondFactorOptions } from '../second-factor/second-factor-options.js'

/** Associated data of a sealed TOTP secret: it opens only on its own factor record. */
export function totpSecretContext(factorId: string, userId: string): string {
  return `totp:${factorId}:${userId}`
}

/** The user's TOTP factor: the confirmed one when `confirmed`, else the enrolment waiting for confirmation. */
export async function findTotpFactor(core: Core, userId: string, confirmed: boolean): Promise<FactorRecord | null> {
  const factors = await core.storage.factors.listByUser(userId, 'totp')
  return factors.find((factor) => (factor.confirmedAt !== null) === confirmed) ?? null
}

/**
 * True when `code` is valid now for the factor's secret and its time step was not used before.
 * The step is claimed atomically, so of two requests with one code only one passes.
 */
export async function claimTotpCode(core: Core, factor: FactorRecord, code: string): Promise<boolean> {
  const { clock } = core.config
  const secondFactor = secondFactorOptions.of(core)
  const secret = openSecret(core.config, factor.secret, totpSecretContext(factor.id, factor.userId))
  const step = await matchTotpCode(secret, code, secondFactor.totp, Math.floor(clock.now() / 1000), factor.lastUsedStep)
  return step !== null && (await core.storage.factors.advanceStep(factor.id, step))
}
