import type { RateLimitRule } from '../config/rate-limit-rule.js'
import type { Core } from '../core.js'
import { rateLimited } from '../errors/auth-error.js'

/**
 * Counts one attempt against `key` and throws 429 once the rule's maximum is passed. Counting
 * before checking keeps it exact when many attempts arrive at once.
 */
export async function enforceRateLimit(core: Core, key: string, rule: RateLimitRule): Promise<void> {
  const now = core.config.clock.now()
  const { count, resetAt } = await core.storage.limits.hit(key, rule.windowSeconds, now)
  if (count > rule.max) throw rateLimited((resetAt - now) / 1000)
}
