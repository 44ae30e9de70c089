import type { UserPatch, UserRecord, UserStore } from '../../src/storage/ports.js'
import { readErrorCode } from '../../src/storage/network-failure.js'
import { buildAssignments } from './build-assignments.js'
import { unpackColumns } from './packed-row.js'
import { parseBigint, parseNullableBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'

interface UserRow {
  id: string
  email: string
  name: string | null
  password_hash: string | null
  email_verified_at: string | null
  created_at: string
  updated_at: string
  profile: Record<string, string | boolean | null> | null
}

const USER_COLUMNS = 'id, email, name, password_hash, email_verified_at, created_at, updated_at, profile'

/** The user's columns, in the order the guard's joined lookups pack them. */
export const USER_COLUMN_LIST = USER_COLUMNS.split(', ')

/** A guard lookup's row: the record's (`r`) and the joined user's (`u`) columns, each packed (packed-row.ts); the user's all null when the join found none. */
export interface PackedJoin {
  r: unknown[]
  u: unknown[]
}

const COLUMNS_BY_FIELD: { readonly [K in keyof UserPatch]-?: string } = {
  email: 'email',
  name: 'name',
  passwordHash: 'password_hash',
  emailVerifiedAt: 'email_verified_at',
  updatedAt: 'updated_at',
  profile: 'profile',
}

const UNIQUE_VIOLATION = '23505'

function readUser(row: UserRow): UserRecord {
  const user: UserRecord = {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    emailVerifiedAt: parseNullableBigint(row.email_verified_at),
    createdAt: parseBigint(row.created_at),
    updatedAt: parseBigint(row.updated_at),
  }
  if (row.profile !== null) user.profile = row.profile
  return user
}

/** The user of a packed joined row, or null when the join found none. */
export function readPackedUser(packed: readonly unknown[]): UserRecord | null {
  const row = unpackColumns<UserRow>(packed, USER_COLUMN_LIST)
  return row.id === null ? null : readUser(row)
}

/** The profile as a jsonb parameter: JSON text, or null for a user without one. */
function profileJson(profile: UserRecord['profile']): string | null {
  return profile === undefined ? null : JSON.stringify(profile)
}

export function createPostgresUserStore(runQuery: RunQuery, names: PostgresNames): UserStore {
  const users = qualifyTable(names, 'users')

  async function selectOne(column: 'id' | 'email', value: string): Promise<UserRecord | null> {
    const { rows } = await runQuery<UserRow>(`SELECT ${USER_COLUMNS} FROM ${users} WHERE ${column} = $1`, [value])
    const [row] = rows
    return row === undefined ? null : readUser(row)
  }

  return {
    async create(user) {
      const { rowCount } = await runQuery(
        `INSERT INTO ${users} (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (email) DO NOTHING`,
        [user.id, user.email, user.name, user.passwordHash, user.emailVerifiedAt, user.createdAt, user.updatedAt, profileJson(user.profile)],
      )
      return rowCount === 1 ? 'created' : 'email_taken'
    },

    getById: (id) => selectOne('id', id),

    getByEmail: (email) => selectOne('email', email),

    async update(id, patch) {
      const assignments = buildAssignments(patch.profile === undefined ? patch : { ...patch, profile: profileJson(patch.profile) as never }, COLUMNS_BY_FIELD, 2)
      if (assignments === null) return (await selectOne('id', id)) === null ? 'not_found' : 'updated'
      try {
        const { rowCount } = await runQuery(`UPDATE ${users} SET ${assignments.sql} WHERE id = $1`, [
          id,
          ...assignments.values,
        ])
        return rowCount === 1 ? 'updated' : 'not_found'
      } catch (error) {
        // Only e-mail is unique besides the id, which a patch cannot change.
        if (readErrorCode(error) === UNIQUE_VIOLATION) return 'email_taken'
        throw error
      }
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${users} WHERE id = $1`, [id])
      return rowCount === 1
    },
  }
}
