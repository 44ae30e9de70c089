import type { Core } from '../core.js'
import { type SecondFactorMethod, secondFactorMethodNames } from './second-factor-method.js'

/** The second factors the user can complete a login with (confirmed ones only), in a fixed order. Empty: no second step. */
export async function listSecondFactors(core: Core, userId: string): Promise<SecondFactorMethod[]> {
  const factors = await core.storage.factors.listByUser(userId)
  const kinds = new Set<string>(factors.filter((factor) => factor.confirmedAt !== null).map((factor) => factor.kind))
  return secondFactorMethodNames.filter((method) => kinds.has(method))
}
