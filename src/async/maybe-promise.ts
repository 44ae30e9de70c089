/**
 * A value now, or later. The guard's path returns one: a lookup answered in process (the memory
 * store, the near cache) continues in the same tick, since every promise hop on a guarded request
 * costs the host a measurable share of its throughput (gatehouse's benchmark: ~5% on Express).
 */
export type MaybePromise<T> = T | Promise<T>

/** True for a promise or any thenable a host's store may hand back; records never have `then`. */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** `next(value)`: at once for a value, after it settles for a promise. */
export function thenMaybe<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value)
}
