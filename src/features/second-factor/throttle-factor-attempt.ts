import type { Core } from '../../core.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { secondFactorOptions } from './second-factor-options.js'

/**
 * Runs one check of a factor the user gives (a code, a secondary password) under that user's
 * limit for that factor: once `attemptLimit.max` checks failed in the window, the factor answers
 * 429 until the window ends. A passing check clears the count.
 */
export async function throttleFactorAttempt(core: Core, userId: string, factor: string, check: () => Promise<boolean>): Promise<boolean> {
  const key = `second-factor:${factor}:${userId}`
  await enforceRateLimit(core, key, secondFactorOptions.of(core).attemptLimit)
  const passed = await check()
  if (passed) await core.storage.limits.reset(key)
  return passed
}
