export interface Assignments {
  /** `col = $n, ...` with placeholders numbered from the given start. */
  sql: string
  values: unknown[]
}

/**
 * The SET list for the patch fields that carry a value; null when there are none. Column names
 * come from the fixed map, never from the patch, so nothing but values reaches the SQL text.
 */
export function buildAssignments<T extends object>(
  patch: T,
  columnsByField: { readonly [K in keyof T]-?: string },
  firstPlaceholder: number,
): Assignments | null {
  const parts: string[] = []
  const values: unknown[] = []
  for (const field of Object.keys(columnsByField) as (keyof T)[]) {
    const value = patch[field]
    if (value === undefined) continue
    values.push(value)
    parts.push(`${columnsByField[field]} = $${firstPlaceholder + values.length - 1}`)
  }
  return parts.length === 0 ? null : { sql: parts.join(', '), values }
}
