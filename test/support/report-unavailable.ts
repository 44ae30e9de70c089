import { it } from 'vitest'

/**
 * Registers what stands in for tests that cannot run here: under CI a failing test (a missing
 * server or browser must not pass silently there), otherwise a skipped one plus a loud banner.
 */
export function reportUnavailable(what: string, problem: string, remedy: string): void {
  if (process.env.CI === 'true') {
    it(`${what} is available`, () => {
      throw new Error(`${problem}; ${remedy}`)
    })
  } else {
    const rule = '!'.repeat(78)
    console.warn(`\n${rule}\n  SKIPPING ${what} tests: ${problem}\n${rule}\n`)
    it.skip(`${what} tests (unavailable)`, () => undefined)
  }
}
