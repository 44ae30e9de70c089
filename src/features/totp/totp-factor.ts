import type { Core } from '../../core.js'
import { type OpenedSecret, openSealedSecret, sealSecret } from '../../crypto/secret-box.js'
import type { FactorRecord } from '../../storage/ports.js'
import { matchTotpCode } from './totp-code.js'
import { secondFactorOptions } from '../second-factor/second-factor-options.js'
import { codeAlreadyUsed, factorUnreadable } from '../second-factor/second-factor-errors.js'

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
 * The factor's secret in the clear. A secret sealed under no listed `secret` (a generated
 * development secret after a restart, or a rotation that dropped the old one) cannot be opened:
 * that is 401 FACTOR_UNREADABLE for the user and one warning for the operator, not a 500.
 */
export async function openTotpSecret(core: Core, factor: FactorRecord): Promise<string> {
  const context = totpSecretContext(factor.id, factor.userId)
  let opened: OpenedSecret
  try {
    opened = openSealedSecret(core.config, factor.secret, context)
  } catch {
    core.warnOnce(
      'totp:unreadable',
      'A TOTP secret could not be decrypted: it was sealed under another `secret` option. Keep the secret stable across restarts; affected users must sign in with a recovery code and enrol again.',
    )
    throw factorUnreadable()
  }
  // Sealed under a retired secret: seal it under the current one, so that secret can be dropped later.
  if (opened.stale) await core.storage.factors.update(factor.id, { secret: sealSecret(core.config, opened.plaintext, context) })
  return opened.plaintext
}

/**
 * True when `code` is valid now for the factor's secret; false when it is wrong. A right code of
 * a time step already used is 401 CODE_ALREADY_USED. The step is claimed atomically, so of two
 * requests with one code only one passes; the other hears the code was used.
 */
export async function claimTotpCode(core: Core, factor: FactorRecord, secret: string, code: string): Promise<boolean> {
  const { clock } = core.config
  const step = await matchTotpCode(secret, code, secondFactorOptions.of(core).totp, Math.floor(clock.now() / 1000))
  if (step === null) return false
  const used = factor.lastUsedStep !== null && step <= factor.lastUsedStep
  if (used || !(await core.storage.factors.advanceStep(factor.id, step))) throw codeAlreadyUsed()
  return true
}
