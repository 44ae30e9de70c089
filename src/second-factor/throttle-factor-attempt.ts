import type { Core } from '../core.js'
import { runThrottledCheck } from '../throttled-check.js'

/**
 * Runs one check of a factor the user gives (a code, a secondary password) under that user's
 * limit for that factor: once `attemptLimit.max` checks failed in the window, the factor answers
 * 429 until the window ends. A passing check clears the count.
 */
export function throttleFactorAttempt(core: Core, userId: string, factor: string, check: () => Promise<boolean>): Promise<boolean> {
  const limit = { key: `second-factor:${factor}:${userId}`, rule: core.config.secondFactor.attemptLimit, onPass: 'reset' } as const
  return runThrottledCheck(core, [limit], check)
}
