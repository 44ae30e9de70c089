/** A plain object literal (not a store, a mailer, a clock or an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/**
 * `overrides` over an example's `defaults`, plain objects merged key by key (seed-contracts.md
 * section 7.9): a test that passes `federation` keeps the example's other federation settings.
 * A store, a mailer, a clock or a list replaces; an undefined value keeps the default.
 */
export function mergeOptions<T>(defaults: T, overrides: unknown): T {
  if (overrides === undefined) return defaults
  if (!isPlainObject(defaults) || !isPlainObject(overrides)) return overrides as T
  const merged: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(overrides)) merged[key] = mergeOptions(merged[key], value)
  return merged as T
}
