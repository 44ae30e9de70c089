/** pg returns bigint columns as strings; gatehouse times are ms, well inside Number's exact range. */
export function parseBigint(value: string): number {
  return Number(value)
}

export function parseNullableBigint(value: string | null): number | null {
  return value === null ? null : Number(value)
}
