import type { Core } from '../../core.js'
import { secondFactorOptions } from './second-factor-options.js'
import { runThrottledCheck } from '../../http/throttled-check.js'

/**
 * Runs one check of a factor the user gives (a code, a secondary password) under that user's
 * limit for that factor: once `attemptLimit.max` checks failed in the window, the factor answers
 * 429 until the window ends. A passing check clears the count.
 */
export function throttleFactorAttempt(core: Core, userId: string, factor: string, check: () => Promise<boolean>): Promise<boolean> {
  const limit = { key: `second-factor:${factor}:${userId}`, rule: secondFactorOptions.of(core).attemptLimit, onPass: 'reset' } as const
  return runThrottledCheck(core, [limit], check)
}
