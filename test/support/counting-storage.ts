import type { Storage } from '../../src/storage/ports.js'

/**
 * The storage with every call the core makes recorded as 'store.method'. A wrapped store handed
 * as an argument (getWithUser's users) reaches the store unwrapped, as it would without counting.
 */
export function countingStorage(storage: Storage): { storage: Storage; calls: string[] } {
  const calls: string[] = []
  const originals = new Map<unknown, unknown>()
  const wrapped = Object.fromEntries(
    Object.entries(storage).map(([name, store]) => [
      name,
      new Proxy(store as object, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver)
          if (typeof value !== 'function') return value
          return (...args: unknown[]) => {
            calls.push(`${name}.${String(property)}`)
            return (value as (...a: unknown[]) => unknown).apply(target, args.map((arg) => originals.get(arg) ?? arg))
          }
        },
      }),
    ]),
  ) as unknown as Storage
  for (const name of Object.keys(storage) as (keyof Storage)[]) originals.set(wrapped[name], storage[name])
  return { storage: wrapped, calls }
}
