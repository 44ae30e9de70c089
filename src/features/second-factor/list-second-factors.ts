import type { Core } from '../../core.js'
import { type SecondFactorMethod, secondFactorMethodNames } from './second-factor-method.js'
import { secondFactorOptions } from './second-factor-options.js'

/**
 * The second factors the user can complete a login with (confirmed ones only), in a fixed order.
 * Empty: no second step. A sent code ('otp') is offered only beside a factor of the user's own,
 * when `secondFactor.otp` is on and codes can be delivered.
 */
export async function listSecondFactors(core: Core, userId: string): Promise<SecondFactorMethod[]> {
  const factors = await core.storage.factors.listByUser(userId)
  const kinds = new Set<string>(factors.filter((factor) => factor.confirmedAt !== null).map((factor) => factor.kind))
  const { delivery } = core.config
  const secondFactor = secondFactorOptions.of(core)
  if (kinds.size > 0 && secondFactor.otp && (delivery.email !== null || delivery.sms !== null)) kinds.add('otp')
  return secondFactorMethodNames.filter((method) => kinds.has(method))
}
