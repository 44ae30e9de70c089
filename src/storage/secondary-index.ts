/** Adds `value` to the set kept under `key`, creating the set on first use. */
export function addToIndex<K, T>(index: Map<K, Set<T>>, key: K, value: T): void {
  const members = index.get(key)
  if (members === undefined) index.set(key, new Set([value]))
  else members.add(value)
}

/** Removes `value` from the set under `key` and drops the set once empty, so indexes do not grow forever. */
export function removeFromIndex<K, T>(index: Map<K, Set<T>>, key: K, value: T): void {
  const members = index.get(key)
  if (members === undefined) return
  members.delete(value)
  if (members.size === 0) index.delete(key)
}
