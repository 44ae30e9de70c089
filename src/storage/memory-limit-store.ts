import { createExpirySweep } from './expiry-sweep.js'
import type { LimitHit, LimitStore } from './ports.js'

function isWindowOver(window: LimitHit, now: number): boolean {
  return now >= window.resetAt
}

function isClaimOver(expiresAt: number, now: number): boolean {
  return now >= expiresAt
}

export function createMemoryLimitStore(): LimitStore {
  const windowsByKey = new Map<string, LimitHit>()
  const claimsByKey = new Map<string, number>()
  const sweepWindows = createExpirySweep(windowsByKey, isWindowOver, (key) => windowsByKey.delete(key))
  const sweepClaims = createExpirySweep(claimsByKey, isClaimOver, (key) => claimsByKey.delete(key))

  return {
    async hit(key, windowSeconds, now) {
      sweepWindows(now)
      const window = windowsByKey.get(key)
      if (window === undefined || isWindowOver(window, now)) {
        const fresh = { count: 1, resetAt: now + windowSeconds * 1000 }
        windowsByKey.set(key, fresh)
        return { ...fresh }
      }
      window.count++
      return { ...window }
    },

    async reset(key) {
      windowsByKey.delete(key)
    },

    async release(key) {
      const window = windowsByKey.get(key)
      if (window !== undefined && window.count > 0) window.count--
    },

    async claim(key, expiresAt, now) {
      sweepClaims(now)
      const claimedUntil = claimsByKey.get(key)
      if (claimedUntil !== undefined && !isClaimOver(claimedUntil, now)) return false
      claimsByKey.set(key, expiresAt)
      return true
    },
  }
}
