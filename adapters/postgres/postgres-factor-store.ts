import type { FactorKind, FactorPatch, FactorRecord, FactorStore } from '../../src/storage/ports.js'
import { buildAssignments } from './build-assignments.js'
import { parseBigint, parseNullableBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'

interface FactorRow {
  id: string
  user_id: string
  kind: FactorKind
  secret: string
  confirmed_at: string | null
  last_used_step: string | null
  created_at: string
  name: string | null
  data: Record<string, string> | null
  last_used_at: string | null
}

const FACTOR_COLUMNS = 'id, user_id, kind, secret, confirmed_at, last_used_step, created_at, name, data, last_used_at'

const COLUMNS_BY_FIELD: { readonly [K in keyof FactorPatch]-?: string } = {
  secret: 'secret',
  confirmedAt: 'confirmed_at',
  name: 'name',
  lastUsedAt: 'last_used_at',
}

function readFactor(row: FactorRow): FactorRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    secret: row.secret,
    confirmedAt: parseNullableBigint(row.confirmed_at),
    lastUsedStep: parseNullableBigint(row.last_used_step),
    createdAt: parseBigint(row.created_at),
    name: row.name,
    data: row.data,
    lastUsedAt: parseNullableBigint(row.last_used_at),
  }
}

export function createPostgresFactorStore(runQuery: RunQuery, names: PostgresNames): FactorStore {
  const factors = qualifyTable(names, 'factors')

  async function selectById(id: string): Promise<FactorRecord | null> {
    const { rows } = await runQuery<FactorRow>(`SELECT ${FACTOR_COLUMNS} FROM ${factors} WHERE id = $1`, [id])
    const [row] = rows
    return row === undefined ? null : readFactor(row)
  }

  return {
    async create(factor) {
      const { rowCount } = await runQuery(`INSERT INTO ${factors} (${FACTOR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`, [
        factor.id,
        factor.userId,
        factor.kind,
        factor.secret,
        factor.confirmedAt,
        factor.lastUsedStep,
        factor.createdAt,
        factor.name,
        factor.data,
        factor.lastUsedAt,
      ])
      return rowCount === 1 ? 'created' : 'id_taken'
    },

    getById: selectById,

    async listByUser(userId, kind) {
      const { rows } = await runQuery<FactorRow>(
        `SELECT ${FACTOR_COLUMNS} FROM ${factors} WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY seq`,
        [userId, kind ?? null],
      )
      return rows.map(readFactor)
    },

    async update(id, patch) {
      const assignments = buildAssignments(patch, COLUMNS_BY_FIELD, 2)
      if (assignments === null) return (await selectById(id)) !== null
      const { rowCount } = await runQuery(`UPDATE ${factors} SET ${assignments.sql} WHERE id = $1`, [
        id,
        ...assignments.values,
      ])
      return rowCount === 1
    },

    async advanceStep(id, step) {
      // The row lock serialises callers; each re-checks the condition against the committed step.
      const { rowCount } = await runQuery(
        `UPDATE ${factors} SET last_used_step = $2 WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2)`,
        [id, step],
      )
      return rowCount === 1
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${factors} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByUser(userId, kind) {
      const { rowCount } = await runQuery(
        `DELETE FROM ${factors} WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2)`,
        [userId, kind ?? null],
      )
      return rowCount ?? 0
    },
  }
}
