/** How many callers the concurrency cases race. */
export const CONCURRENT_CALLER_COUNT = 50

/** Runs `task` CONCURRENT_CALLER_COUNT times at once and answers every result. */
export function raceCallers<T>(task: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: CONCURRENT_CALLER_COUNT }, (_, index) => task(index)))
}

export function countTrue(results: boolean[]): number {
  return results.filter(Boolean).length
}
