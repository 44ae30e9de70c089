import { describe, expect, it } from 'vitest'
import type { ConformanceRunner } from './conformance-runner.js'

/** The kit's default runner: vitest's describe and it, the assertions as expect matchers. */
export const vitestRunner: ConformanceRunner = {
  describe,
  it,
  assert: {
    equal: (actual, expected) => expect(actual).toBe(expected),
    deepEqual: (actual, expected) => expect(actual).toEqual(expected),
    ok: (value) => expect(value).toBeTruthy(),
  },
}
