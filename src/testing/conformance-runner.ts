/**
 * The test functions the storage conformance kit registers its cases with, so that a host on any
 * runner can use it. The `describe` and `it` of vitest, node:test, jest and mocha fit as they are;
 * so does `node:assert/strict` as `assert`.
 */
export interface ConformanceRunner {
  /** Groups cases; the kit calls it, and `it` inside it, while it registers. */
  describe(name: string, body: () => void): void
  /** One case: it fails when `body` rejects, which the assertions make it do. */
  it(name: string, body: () => Promise<void>): void
  assert: ConformanceAssertions
}

/** The checks the kit's cases make; each throws when it does not hold. */
export interface ConformanceAssertions {
  /** `actual` is `expected` (Object.is). */
  equal(actual: unknown, expected: unknown): void
  /** `actual` holds the same data as `expected`: records, arrays, null. */
  deepEqual(actual: unknown, expected: unknown): void
  ok(value: unknown): void
}
