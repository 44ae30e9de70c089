/**
 * The attempts this process has reserved a limit slot for and is still checking, per limit key.
 * An attempt refused by a full limit waits only while some exist: they may yet give their slot back.
 */
export interface PendingChecks {
  add(key: string): void
  remove(key: string): void
  has(key: string): boolean
}

export function createPendingChecks(): PendingChecks {
  const countsByKey = new Map<string, number>()
  return {
    add(key) {
      countsByKey.set(key, (countsByKey.get(key) ?? 0) + 1)
    },
    remove(key) {
      const left = (countsByKey.get(key) ?? 0) - 1
      if (left > 0) countsByKey.set(key, left)
      else countsByKey.delete(key)
    },
    has: (key) => countsByKey.has(key),
  }
}
