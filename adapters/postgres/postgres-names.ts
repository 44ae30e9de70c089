export interface PostgresStorageOptions {
  /** Schema holding the tables. Default 'public'. */
  schema?: string | undefined
  /** Prefix of every table and index name. Default 'gatehouse_'. */
  tablePrefix?: string | undefined
}

/** Validated identifiers: they end up in SQL text, where parameters cannot go. */
export interface PostgresNames {
  schema: string
  tablePrefix: string
}

const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,40}$/

export function resolvePostgresNames(options: PostgresStorageOptions = {}): PostgresNames {
  const schema = options.schema ?? 'public'
  const tablePrefix = options.tablePrefix ?? 'gatehouse_'
  if (!IDENTIFIER_PATTERN.test(schema)) {
    throw new TypeError(`gatehouse/postgres: schema must match ${IDENTIFIER_PATTERN}, got ${JSON.stringify(schema)}`)
  }
  if (tablePrefix !== '' && !IDENTIFIER_PATTERN.test(tablePrefix)) {
    throw new TypeError(
      `gatehouse/postgres: tablePrefix must be empty or match ${IDENTIFIER_PATTERN}, got ${JSON.stringify(tablePrefix)}`,
    )
  }
  return { schema, tablePrefix }
}

/** The quoted, schema-qualified name of one table. */
export function qualifyTable(names: PostgresNames, table: string): string {
  return `"${names.schema}"."${names.tablePrefix}${table}"`
}
