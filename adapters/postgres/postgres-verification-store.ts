import type { VerificationRecord, VerificationStore } from '../../src/storage/ports.js'
import { parseBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import { PURGE_BATCH_SIZE } from './purge-batch-size.js'
import type { RunQuery } from './query-runner.js'

interface VerificationRow {
  id: string
  purpose: string
  subject: string
  user_id: string | null
  secret_hash: string
  data: Record<string, string> | null
  attempts: number
  created_at: string
  expires_at: string
}

const VERIFICATION_COLUMNS = 'id, purpose, subject, user_id, secret_hash, data, attempts, created_at, expires_at'

function readVerification(row: VerificationRow): VerificationRecord {
  return {
    id: row.id,
    purpose: row.purpose,
    subject: row.subject,
    userId: row.user_id,
    secretHash: row.secret_hash,
    data: row.data,
    attempts: row.attempts,
    createdAt: parseBigint(row.created_at),
    expiresAt: parseBigint(row.expires_at),
  }
}

export function createPostgresVerificationStore(runQuery: RunQuery, names: PostgresNames): VerificationStore {
  const verifications = qualifyTable(names, 'verifications')

  return {
    async create(record) {
      // One row per purpose and subject, so superseding is an atomic upsert. The purge skips
      // that row: one statement must not modify a row twice.
      await runQuery(
        `WITH purged AS (
           DELETE FROM ${verifications} WHERE id IN (
             SELECT id FROM ${verifications} WHERE expires_at <= $8 AND NOT (purpose = $2 AND subject = $3)
             ORDER BY expires_at LIMIT ${PURGE_BATCH_SIZE} FOR UPDATE SKIP LOCKED))
         INSERT INTO ${verifications} (${VERIFICATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (purpose, subject) DO UPDATE SET
           id = excluded.id, user_id = excluded.user_id, secret_hash = excluded.secret_hash, data = excluded.data,
           attempts = excluded.attempts, created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [
          record.id,
          record.purpose,
          record.subject,
          record.userId,
          record.secretHash,
          record.data,
          record.attempts,
          record.createdAt,
          record.expiresAt,
        ],
      )
    },

    async consume(purpose, secretHash, now) {
      // FOR UPDATE makes concurrent consumers queue on the row; once the first deletes it the
      // others find nothing. (SKIP LOCKED would also skip a row locked by addAttempt.)
      const { rows } = await runQuery<VerificationRow>(
        `DELETE FROM ${verifications} WHERE id = (
           SELECT id FROM ${verifications} WHERE purpose = $1 AND secret_hash = $2 AND expires_at > $3
           ORDER BY created_at LIMIT 1 FOR UPDATE)
         RETURNING ${VERIFICATION_COLUMNS}`,
        [purpose, secretHash, now],
      )
      const [row] = rows
      return row === undefined ? null : readVerification(row)
    },

    async find(purpose, subject, now) {
      const { rows } = await runQuery<VerificationRow>(
        `SELECT ${VERIFICATION_COLUMNS} FROM ${verifications} WHERE purpose = $1 AND subject = $2 AND expires_at > $3`,
        [purpose, subject, now],
      )
      const [row] = rows
      return row === undefined ? null : readVerification(row)
    },

    async addAttempt(id) {
      const { rows } = await runQuery<{ attempts: number }>(
        `UPDATE ${verifications} SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`,
        [id],
      )
      return rows[0]?.attempts ?? 0
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${verifications} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByUser(userId) {
      const { rowCount } = await runQuery(`DELETE FROM ${verifications} WHERE user_id = $1`, [userId])
      return rowCount ?? 0
    },
  }
}
