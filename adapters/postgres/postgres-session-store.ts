import { attachUser } from '../../src/storage/attach-user.js'
import type { FactorUse, SessionRecord, SessionStore, UserStore } from '../../src/storage/ports.js'
import { parseBigint } from './parse-bigint.js'
import { type PackedJoin, readPackedUser, USER_COLUMN_LIST } from './postgres-user-store.js'
import { packColumns, unpackColumns } from './packed-row.js'
import { nameStatement } from './statement-name.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import { PURGE_BATCH_SIZE } from './purge-batch-size.js'
import type { RunQuery } from './query-runner.js'

interface SessionRow {
  id: string
  token_hash: string
  user_id: string
  created_at: string
  last_seen_at: string
  expires_at: string
  idle_expires_at: string
  ip: string | null
  user_agent: string | null
  pending_second_factor: boolean
  factors: FactorUse[]
}

const SESSION_COLUMNS =
  'id, token_hash, user_id, created_at, last_seen_at, expires_at, idle_expires_at, ip, user_agent, pending_second_factor, factors'
const SESSION_COLUMN_LIST = SESSION_COLUMNS.split(', ')

function readSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: parseBigint(row.created_at),
    lastSeenAt: parseBigint(row.last_seen_at),
    expiresAt: parseBigint(row.expires_at),
    idleExpiresAt: parseBigint(row.idle_expires_at),
    ip: row.ip,
    userAgent: row.user_agent,
    pendingSecondFactor: row.pending_second_factor,
    factors: row.factors,
  }
}

/**
 * `ownUsers` is the user store on the same database: getWithUser with it is one named prepared
 * query, the session joined to its user.
 */
export function createPostgresSessionStore(runQuery: RunQuery, names: PostgresNames, ownUsers: UserStore): SessionStore {
  const sessions = qualifyTable(names, 'sessions')
  const withUserText =
    `SELECT ${packColumns('s', SESSION_COLUMN_LIST)} AS r, ${packColumns('u', USER_COLUMN_LIST)} AS u ` +
    `FROM ${sessions} s LEFT JOIN ${qualifyTable(names, 'users')} u ON u.id = s.user_id WHERE s.token_hash = $1`
  const withUserName = nameStatement(withUserText)

  async function selectOne(column: 'id' | 'token_hash', value: string): Promise<SessionRecord | null> {
    const { rows } = await runQuery<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM ${sessions} WHERE ${column} = $1`, [
      value,
    ])
    const [row] = rows
    return row === undefined ? null : readSession(row)
  }

  return {
    async create(session) {
      // Purges a few sessions that ended before this one began, so dead rows cannot pile up.
      await runQuery(
        `WITH purged AS (
           DELETE FROM ${sessions} WHERE id IN (
             SELECT id FROM ${sessions} WHERE least(expires_at, idle_expires_at) <= $4
             ORDER BY least(expires_at, idle_expires_at) LIMIT ${PURGE_BATCH_SIZE} FOR UPDATE SKIP LOCKED))
         INSERT INTO ${sessions} (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          session.id,
          session.tokenHash,
          session.userId,
          session.createdAt,
          session.lastSeenAt,
          session.expiresAt,
          session.idleExpiresAt,
          session.ip,
          session.userAgent,
          session.pendingSecondFactor,
          // pg would send a JS array as a PostgreSQL array, not as JSON.
          JSON.stringify(session.factors),
        ],
      )
    },

    getByTokenHash: (tokenHash) => selectOne('token_hash', tokenHash),

    async getWithUser(tokenHash, users) {
      if (users !== ownUsers) {
        const session = await selectOne('token_hash', tokenHash)
        return session === null ? null : attachUser(session, users)
      }
      const { rows } = await runQuery<PackedJoin>(withUserText, [tokenHash], withUserName)
      const [row] = rows
      return row === undefined ? null : { record: readSession(unpackColumns(row.r, SESSION_COLUMN_LIST)), user: readPackedUser(row.u) }
    },

    getById: (id) => selectOne('id', id),

    async touch(id, lastSeenAt, idleExpiresAt) {
      await runQuery(`UPDATE ${sessions} SET last_seen_at = $2, idle_expires_at = $3 WHERE id = $1`, [
        id,
        lastSeenAt,
        idleExpiresAt,
      ])
    },

    async listByUser(userId) {
      const { rows } = await runQuery<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM ${sessions} WHERE user_id = $1 ORDER BY seq`,
        [userId],
      )
      return rows.map(readSession)
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${sessions} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByUser(userId, exceptId) {
      const { rowCount } = await runQuery(
        `DELETE FROM ${sessions} WHERE user_id = $1 AND ($2::text IS NULL OR id <> $2)`,
        [userId, exceptId ?? null],
      )
      return rowCount ?? 0
    },
  }
}
