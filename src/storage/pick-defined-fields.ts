/** The fields of a patch that carry a value: a key present with `undefined` means "leave as is". */
export function pickDefinedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>
}
