import type { LimitStore } from '../../src/storage/ports.js'
import { parseBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import { PURGE_BATCH_SIZE } from './purge-batch-size.js'
import type { RunQuery } from './query-runner.js'

interface WindowRow {
  count: number
  reset_at: string
}

export function createPostgresLimitStore(runQuery: RunQuery, names: PostgresNames): LimitStore {
  const windows = qualifyTable(names, 'limit_windows')
  const claims = qualifyTable(names, 'limit_claims')

  return {
    async hit(key, windowSeconds, now) {
      // The upsert takes the row lock, so concurrent hits count one after another. The purge
      // skips this key: one statement must not modify a row twice.
      const { rows } = await runQuery<WindowRow>(
        `WITH purged AS (
           DELETE FROM ${windows} WHERE key IN (
             SELECT key FROM ${windows} WHERE reset_at <= $2 AND key <> $1
             ORDER BY reset_at LIMIT ${PURGE_BATCH_SIZE} FOR UPDATE SKIP LOCKED))
         INSERT INTO ${windows} AS w (key, count, reset_at) VALUES ($1, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN w.reset_at <= $2 THEN 1 ELSE w.count + 1 END,
           reset_at = CASE WHEN w.reset_at <= $2 THEN excluded.reset_at ELSE w.reset_at END
         RETURNING count, reset_at`,
        [key, now, now + windowSeconds * 1000],
      )
      const [row] = rows
      if (row === undefined) throw new Error('gatehouse/postgres: limit upsert returned no row')
      return { count: row.count, resetAt: parseBigint(row.reset_at) }
    },

    async reset(key) {
      await runQuery(`DELETE FROM ${windows} WHERE key = $1`, [key])
    },

    async release(key) {
      // One statement under the row lock, so it interleaves with concurrent hits without losing either.
      await runQuery(`UPDATE ${windows} SET count = count - 1 WHERE key = $1 AND count > 0`, [key])
    },

    async claim(key, expiresAt, now) {
      const { rowCount } = await runQuery(
        `WITH purged AS (
           DELETE FROM ${claims} WHERE key IN (
             SELECT key FROM ${claims} WHERE expires_at <= $3 AND key <> $1
             ORDER BY expires_at LIMIT ${PURGE_BATCH_SIZE} FOR UPDATE SKIP LOCKED))
         INSERT INTO ${claims} AS c (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= $3`,
        [key, expiresAt, now],
      )
      return rowCount === 1
    },
  }
}
