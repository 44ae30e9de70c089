import type { RateLimitRule } from '../config/rate-limit-rule.js'
import type { Core } from '../core.js'
import { rateLimited } from '../errors/auth-error.js'

/** One limit a check runs under. */
export interface CheckLimit {
  key: string
  rule: RateLimitRule
  /**
   * What a passing check does to the count: 'reset' clears it (the limit of the one account the
   * check proves), 'release' gives back only its own slot (a limit many accounts share, such as
   * per IP, which one account's success must not clear).
   */
  onPass: 'reset' | 'release'
}

/** Waits before reserving again while this process still checks attempts on the full limit: 775 ms in all. */
const SETTLE_BACKOFFS_MS = [25, 50, 100, 200, 400]

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Takes a slot of `limit` (atomic hit) and answers its count, or throws 429 once none came free within the backoffs. */
async function reserveSlot(core: Core, limit: CheckLimit): Promise<number> {
  const { limits } = core.storage
  // Bounded: the pass after the last backoff throws.
  for (let pass = 0; ; pass++) {
    const now = core.config.clock.now()
    const { count, resetAt } = await limits.hit(limit.key, limit.rule.windowSeconds, now)
    if (count <= limit.rule.max) {
      core.pendingChecks.add(limit.key)
      return count
    }
    // A refused attempt is never checked, so it must not hold a slot.
    await limits.release(limit.key)
    const backoff = SETTLE_BACKOFFS_MS[pass]
    if (backoff === undefined || !core.pendingChecks.has(limit.key)) throw rateLimited((resetAt - now) / 1000)
    await sleep(backoff)
  }
}

async function settlePassed(core: Core, limit: CheckLimit): Promise<void> {
  if (limit.onPass === 'reset') await core.storage.limits.reset(limit.key)
  else await core.storage.limits.release(limit.key)
}

/** Applies `settleOne` to every reserved slot, then stops counting them as pending (after, so no waiter gives up early). */
async function settle(core: Core, reserved: CheckLimit[], settleOne: (limit: CheckLimit) => Promise<void>): Promise<void> {
  try {
    await Promise.all(reserved.map(settleOne))
  } finally {
    for (const limit of reserved) core.pendingChecks.remove(limit.key)
  }
}

/**
 * Runs `check` (a password, a code) under `limits`, so that only failures count: each limit's
 * slot is reserved before checking, which keeps concurrent attempts from passing the maximum, and
 * given back when the check passes. Once `max` checks failed in a window, attempts answer 429 with
 * Retry-After, even right ones. An attempt that finds a limit full while this process is still
 * checking others on it waits a little for them, since a passing one frees its slot. `admit`
 * runs before the check with each limit's count including this attempt's slot (attempts that
 * failed or are still running, plus one); when it throws, nothing was checked and the slots go back.
 */
export async function runThrottledCheck(
  core: Core,
  limits: CheckLimit[],
  check: () => Promise<boolean>,
  admit?: (counts: number[]) => Promise<void>,
): Promise<boolean> {
  const reserved: CheckLimit[] = []
  const counts: number[] = []
  try {
    for (const limit of limits) {
      counts.push(await reserveSlot(core, limit))
      reserved.push(limit)
    }
    await admit?.(counts)
  } catch (error) {
    await settle(core, reserved, (limit) => core.storage.limits.release(limit.key))
    throw error
  }
  let passed = false
  try {
    passed = await check()
  } finally {
    // A failed check keeps its slots, and so does one that threw: it was an attempt, and failing closed is the safe side.
    await settle(core, reserved, async (limit) => {
      if (passed) await settlePassed(core, limit)
    })
  }
  return passed
}
