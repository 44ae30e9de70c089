import type { Pool, QueryResult, QueryResultRow } from 'pg'
import { storageUnavailable } from '../../src/errors/auth-error.js'
import { isPostgresUnavailable } from './connection-failure.js'

export type RunQuery = <Row extends QueryResultRow>(text: string, values: unknown[]) => Promise<QueryResult<Row>>

/** Runs parameterised queries on the pool; an unreachable or timed-out server becomes STORAGE_UNAVAILABLE. */
export function createQueryRunner(pool: Pool): RunQuery {
  return async <Row extends QueryResultRow>(text: string, values: unknown[]) => {
    try {
      return await pool.query<Row>(text, values)
    } catch (error) {
      throw isPostgresUnavailable(error) ? storageUnavailable(error) : error
    }
  }
}
