/**
 * The guard's joined lookups answer one `json_build_array(...)` value instead of ~20 columns: pg
 * describes and converts every column of every row in JavaScript, and for this one query that
 * was most of its CPU per guarded request (gatehouse's benchmark). Bigint columns arrive as JSON
 * numbers (times in ms, exact), jsonb and arrays as parsed JSON, so the row readers take them as
 * they take pg's strings.
 */
export function packColumns(alias: string, columns: readonly string[]): string {
  return `json_build_array(${columns.map((column) => `${alias}.${column}`).join(', ')})`
}

/** The row named by `columns` from values packed by `packColumns` with the same columns. */
export function unpackColumns<Row>(packed: readonly unknown[], columns: readonly string[]): Row {
  const row: Record<string, unknown> = {}
  for (let index = 0; index < columns.length; index++) row[columns[index]!] = packed[index]
  return row as Row
}
