/** How many entries one sweep step looks at: enough to outpace inserts, small enough to stay O(1). */
const SWEEP_STEP_COUNT = 4

/**
 * Drops expired entries of a map a few at a time, resuming where the last step stopped, so
 * expired records cannot pile up and no call ever scans the whole map.
 */
export function createExpirySweep<K, V>(
  entries: Map<K, V>,
  isExpired: (value: V, now: number) => boolean,
  remove: (key: K, value: V) => void,
): (now: number) => void {
  // Map iterators are live: they skip deleted entries and reach entries added later.
  let cursor = entries.entries()
  return (now) => {
    for (let visited = 0; visited < SWEEP_STEP_COUNT; visited++) {
      let next = cursor.next()
      if (next.done) {
        cursor = entries.entries()
        next = cursor.next()
        if (next.done) return
      }
      const [key, value] = next.value
      if (isExpired(value, now)) remove(key, value)
    }
  }
}
