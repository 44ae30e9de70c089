import type * as Vitest from 'vitest'
import type { ConformanceRunner } from './conformance-runner.js'

type VitestApi = Pick<typeof Vitest, 'describe' | 'it' | 'expect'>

/** The kit's default runner: vitest's describe and it, the assertions as expect matchers. */
function createVitestRunner({ describe, it, expect }: VitestApi): ConformanceRunner {
  return {
    describe,
    it,
    assert: {
      equal: (actual, expected) => expect(actual).toBe(expected),
      deepEqual: (actual, expected) => expect(actual).toEqual(expected),
      ok: (value) => expect(value).toBeTruthy(),
    },
  }
}

/**
 * vitest's runner without a module-level import of vitest, so gatehouse/testing loads where vitest
 * is not installed. Inside a vitest worker vitest keeps its exports on globalThis (what
 * `import.meta.vitest` reads), so suites register at once, before vitest collects the file; the
 * dynamic import is the fallback when they are not there.
 */
export function findVitestRunner(): ConformanceRunner | Promise<ConformanceRunner> {
  const running = (globalThis as { __vitest_index__?: VitestApi }).__vitest_index__
  if (running !== undefined) return createVitestRunner(running)
  return import('vitest').then(createVitestRunner, (cause: unknown) => {
    throw new Error('gatehouse/testing: describeStorageConformance needs options.runner, or vitest installed', { cause })
  })
}
