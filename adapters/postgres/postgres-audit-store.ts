import type { Pool } from 'pg'
import type { AuditRecord, AuditStore } from '../../src/storage/ports.js'
import { parseBigint } from './parse-bigint.js'
import { type PostgresStorageOptions, qualifyTable, resolvePostgresNames } from './postgres-names.js'
import { createQueryRunner } from './query-runner.js'

interface AuditRow {
  id: string
  type: string
  at: string
  user_id: string | null
  session_id: string | null
  workspace_id: string | null
  ip: string | null
  user_agent: string | null
  details: AuditRecord['details']
}

const AUDIT_COLUMNS = 'id, type, at, user_id, session_id, workspace_id, ip, user_agent, details'

function readRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    type: row.type,
    at: parseBigint(row.at),
    userId: row.user_id,
    sessionId: row.session_id,
    workspaceId: row.workspace_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }
}

/**
 * The audit store on PostgreSQL (`createGatehouse({ audit: { store: postgresAuditStore(pool) } })`),
 * in the table migration 003 makes; run migrate() with the same options first. Events are kept
 * until you delete them (`DELETE FROM gatehouse_audit_events WHERE at < ...` on your own schedule).
 */
export function postgresAuditStore(pool: Pool, options: PostgresStorageOptions = {}): AuditStore {
  const events = qualifyTable(resolvePostgresNames(options), 'audit_events')
  const runQuery = createQueryRunner(pool)
  return {
    async append(record) {
      await runQuery(`INSERT INTO ${events} (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        record.id,
        record.type,
        record.at,
        record.userId,
        record.sessionId,
        record.workspaceId,
        record.ip,
        record.userAgent,
        JSON.stringify(record.details),
      ])
    },

    async list({ userId, workspaceId, since, limit }) {
      const { rows } = await runQuery<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM ${events}
         WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR workspace_id = $2) AND ($3::bigint IS NULL OR at >= $3)
         ORDER BY at DESC, seq DESC LIMIT $4`,
        [userId ?? null, workspaceId ?? null, since ?? null, limit],
      )
      return rows.map(readRecord)
    },

    async deleteByUser(userId) {
      const { rowCount } = await runQuery(`DELETE FROM ${events} WHERE user_id = $1`, [userId])
      return rowCount ?? 0
    },
  }
}
