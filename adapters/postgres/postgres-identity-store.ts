import type { IdentityRecord, IdentityStore } from '../../src/storage/ports.js'
import { parseBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'

interface IdentityRow {
  id: string
  user_id: string
  provider: string
  issuer: string
  subject: string
  email: string | null
  linked_at: string
}

const IDENTITY_COLUMNS = 'id, user_id, provider, issuer, subject, email, linked_at'

function readIdentity(row: IdentityRow): IdentityRecord {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    issuer: row.issuer,
    subject: row.subject,
    email: row.email,
    linkedAt: parseBigint(row.linked_at),
  }
}

export function createPostgresIdentityStore(runQuery: RunQuery, names: PostgresNames): IdentityStore {
  const identities = qualifyTable(names, 'identities')

  async function selectWhere(condition: string, values: string[]): Promise<IdentityRecord[]> {
    const { rows } = await runQuery<IdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM ${identities} WHERE ${condition} ORDER BY linked_at, seq`, values)
    return rows.map(readIdentity)
  }

  return {
    async create(identity) {
      // The unique index on (issuer, subject) decides among concurrent creates.
      const { rowCount } = await runQuery(
        `INSERT INTO ${identities} (${IDENTITY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (issuer, subject) DO NOTHING`,
        [identity.id, identity.userId, identity.provider, identity.issuer, identity.subject, identity.email, identity.linkedAt],
      )
      return rowCount === 1 ? 'created' : 'taken'
    },

    getById: async (id) => (await selectWhere('id = $1', [id]))[0] ?? null,

    getBySubject: async (issuer, subject) => (await selectWhere('issuer = $1 AND subject = $2', [issuer, subject]))[0] ?? null,

    listByUser: (userId) => selectWhere('user_id = $1', [userId]),

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${identities} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByUser(userId) {
      const { rowCount } = await runQuery(`DELETE FROM ${identities} WHERE user_id = $1`, [userId])
      return rowCount ?? 0
    },
  }
}
