import { attachUser } from '../../src/storage/attach-user.js'
import type { TokenKind, TokenRecord, TokenStore, UserStore } from '../../src/storage/ports.js'
import { parseBigint, parseNullableBigint } from './parse-bigint.js'
import { type PackedJoin, readPackedUser, USER_COLUMN_LIST } from './postgres-user-store.js'
import { packColumns, unpackColumns } from './packed-row.js'
import { nameStatement } from './statement-name.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'

interface TokenRow {
  id: string
  user_id: string
  kind: TokenKind
  token_hash: string
  name: string
  scopes: string[]
  hint: string
  created_at: string
  last_used_at: string | null
  expires_at: string | null
}

const TOKEN_COLUMNS = 'id, user_id, kind, token_hash, name, scopes, hint, created_at, last_used_at, expires_at'
const TOKEN_COLUMN_LIST = TOKEN_COLUMNS.split(', ')

function readToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    tokenHash: row.token_hash,
    name: row.name,
    scopes: row.scopes,
    hint: row.hint,
    createdAt: parseBigint(row.created_at),
    lastUsedAt: parseNullableBigint(row.last_used_at),
    expiresAt: parseNullableBigint(row.expires_at),
  }
}

/** `ownUsers` is the user store on the same database: getWithUser with it is one named prepared join. */
export function createPostgresTokenStore(runQuery: RunQuery, names: PostgresNames, ownUsers: UserStore): TokenStore {
  const tokens = qualifyTable(names, 'tokens')
  const withUserText =
    `SELECT ${packColumns('t', TOKEN_COLUMN_LIST)} AS r, ${packColumns('u', USER_COLUMN_LIST)} AS u ` +
    `FROM ${tokens} t LEFT JOIN ${qualifyTable(names, 'users')} u ON u.id = t.user_id WHERE t.token_hash = $1`
  const withUserName = nameStatement(withUserText)

  async function selectOne(column: 'id' | 'token_hash', value: string): Promise<TokenRecord | null> {
    const { rows } = await runQuery<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ${tokens} WHERE ${column} = $1`, [value])
    const [row] = rows
    return row === undefined ? null : readToken(row)
  }

  return {
    async create(token) {
      await runQuery(`INSERT INTO ${tokens} (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        token.id,
        token.userId,
        token.kind,
        token.tokenHash,
        token.name,
        token.scopes,
        token.hint,
        token.createdAt,
        token.lastUsedAt,
        token.expiresAt,
      ])
    },

    getByTokenHash: (tokenHash) => selectOne('token_hash', tokenHash),

    async getWithUser(tokenHash, users) {
      if (users !== ownUsers) {
        const token = await selectOne('token_hash', tokenHash)
        return token === null ? null : attachUser(token, users)
      }
      const { rows } = await runQuery<PackedJoin>(withUserText, [tokenHash], withUserName)
      const [row] = rows
      return row === undefined ? null : { record: readToken(unpackColumns(row.r, TOKEN_COLUMN_LIST)), user: readPackedUser(row.u) }
    },

    getById: (id) => selectOne('id', id),

    async listByUser(userId, kind) {
      const { rows } = await runQuery<TokenRow>(
        `SELECT ${TOKEN_COLUMNS} FROM ${tokens} WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY seq`,
        [userId, kind ?? null],
      )
      return rows.map(readToken)
    },

    async touch(id, lastUsedAt) {
      await runQuery(`UPDATE ${tokens} SET last_used_at = $2 WHERE id = $1`, [id, lastUsedAt])
    },

    async expire(id, at) {
      // One statement: a concurrent expire or touch never brings a later expiry back.
      const { rowCount } = await runQuery(`UPDATE ${tokens} SET expires_at = LEAST(COALESCE(expires_at, $2), $2) WHERE id = $1`, [id, at])
      return rowCount === 1
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${tokens} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByUser(userId, kind) {
      const { rowCount } = await runQuery(
        `DELETE FROM ${tokens} WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2)`,
        [userId, kind ?? null],
      )
      return rowCount ?? 0
    },
  }
}
