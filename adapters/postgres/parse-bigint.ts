/**
 * pg returns bigint columns as strings, a packed row (packed-row.ts) as JSON numbers; gatehouse
 * times are ms, well inside Number's exact range.
 */
export function parseBigint(value: string | number): number {
  return Number(value)
}

export function parseNullableBigint(value: string | number | null): number | null {
  return value === null ? null : Number(value)
}
