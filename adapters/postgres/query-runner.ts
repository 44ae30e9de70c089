import type { Pool, QueryResult, QueryResultRow } from 'pg'
import { storageUnavailable } from '../../src/errors/auth-error.js'
import { isPostgresUnavailable } from './connection-failure.js'

/** `name` makes it a named prepared statement: parsed and planned once per connection (the guard's lookups). */
export type RunQuery = <Row extends QueryResultRow>(text: string, values: unknown[], name?: string) => Promise<QueryResult<Row>>

/** Runs parameterised queries on the pool; an unreachable or timed-out server becomes STORAGE_UNAVAILABLE. */
export function createQueryRunner(pool: Pool): RunQuery {
  return async <Row extends QueryResultRow>(text: string, values: unknown[], name?: string) => {
    try {
      return await (name === undefined ? pool.query<Row>(text, values) : pool.query<Row>({ name, text, values }))
    } catch (error) {
      throw isPostgresUnavailable(error) ? storageUnavailable(error) : error
    }
  }
}
