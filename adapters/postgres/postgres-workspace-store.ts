import type { MemberRecord, WorkspaceRecord, WorkspaceStore } from '../../src/storage/ports.js'
import { readErrorCode } from '../../src/storage/network-failure.js'
import { parseBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'
import type { RunTransaction } from './transaction-runner.js'

interface WorkspaceRow {
  id: string
  name: string
  created_at: string
}

interface MemberRow {
  workspace_id: string
  user_id: string
  role: string
  joined_at: string
}

const FOREIGN_KEY_VIOLATION = '23503'

function readWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, createdAt: parseBigint(row.created_at) }
}

function readMember(row: MemberRow): MemberRecord {
  return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, joinedAt: parseBigint(row.joined_at) }
}

export function createPostgresWorkspaceStore(runQuery: RunQuery, runTransaction: RunTransaction, names: PostgresNames): WorkspaceStore {
  const workspaces = qualifyTable(names, 'workspaces')
  const members = qualifyTable(names, 'workspace_members')

  function insertMember(run: RunQuery, member: MemberRecord) {
    return run(
      `INSERT INTO ${members} (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, user_id) DO NOTHING`,
      [member.workspaceId, member.userId, member.role, member.joinedAt],
    )
  }

  /**
   * Runs `change` on one member under the workspace row's lock, so concurrent demotions and
   * removals queue: each then counts the owners as the previous one left them (READ COMMITTED
   * gives every statement a fresh snapshot).
   */
  function changeMember<Done extends string>(
    workspaceId: string,
    userId: string,
    keepsOwnerRole: boolean,
    change: (run: RunQuery) => Promise<unknown>,
    done: Done,
  ): Promise<Done | 'not_found' | 'last_owner'> {
    return runTransaction(async (run) => {
      await run(`SELECT 1 FROM ${workspaces} WHERE id = $1 FOR UPDATE`, [workspaceId])
      const { rows } = await run<{ role: string; owners: string }>(
        `SELECT role, (SELECT count(*) FROM ${members} WHERE workspace_id = $1 AND role = 'owner') AS owners
         FROM ${members} WHERE workspace_id = $1 AND user_id = $2`,
        [workspaceId, userId],
      )
      const [row] = rows
      if (row === undefined) return 'not_found'
      if (row.role === 'owner' && !keepsOwnerRole && Number(row.owners) <= 1) return 'last_owner'
      await change(run)
      return done
    })
  }

  return {
    async create(workspace, owner) {
      await runTransaction(async (run) => {
        await run(`INSERT INTO ${workspaces} (id, name, created_at) VALUES ($1, $2, $3)`, [workspace.id, workspace.name, workspace.createdAt])
        await insertMember(run, owner)
      })
    },

    async getById(id) {
      const { rows } = await runQuery<WorkspaceRow>(`SELECT id, name, created_at FROM ${workspaces} WHERE id = $1`, [id])
      const [row] = rows
      return row === undefined ? null : readWorkspace(row)
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${workspaces} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async addMember(member) {
      try {
        const { rowCount } = await insertMember(runQuery, member)
        return rowCount === 1 ? 'added' : 'already_member'
      } catch (error) {
        if (readErrorCode(error) === FOREIGN_KEY_VIOLATION) return 'workspace_not_found'
        throw error
      }
    },

    async getMember(workspaceId, userId) {
      const { rows } = await runQuery<MemberRow>(
        `SELECT workspace_id, user_id, role, joined_at FROM ${members} WHERE workspace_id = $1 AND user_id = $2`,
        [workspaceId, userId],
      )
      const [row] = rows
      return row === undefined ? null : readMember(row)
    },

    async listMembers(workspaceId) {
      const { rows } = await runQuery<MemberRow>(
        `SELECT workspace_id, user_id, role, joined_at FROM ${members} WHERE workspace_id = $1 ORDER BY joined_at, seq`,
        [workspaceId],
      )
      return rows.map(readMember)
    },

    async listByUser(userId) {
      const { rows } = await runQuery<MemberRow & WorkspaceRow>(
        `SELECT m.workspace_id, m.user_id, m.role, m.joined_at, w.id, w.name, w.created_at
         FROM ${members} m JOIN ${workspaces} w ON w.id = m.workspace_id
         WHERE m.user_id = $1 ORDER BY m.joined_at, m.seq`,
        [userId],
      )
      return rows.map((row) => ({ workspace: readWorkspace(row), member: readMember(row) }))
    },

    updateMemberRole: (workspaceId, userId, role) =>
      changeMember(
        workspaceId,
        userId,
        role === 'owner',
        (run) => run(`UPDATE ${members} SET role = $3 WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId, role]),
        'updated',
      ),

    removeMember: (workspaceId, userId) =>
      changeMember(
        workspaceId,
        userId,
        false,
        (run) => run(`DELETE FROM ${members} WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId]),
        'removed',
      ),

    async deleteMembersByUser(userId) {
      const { rowCount } = await runQuery(`DELETE FROM ${members} WHERE user_id = $1`, [userId])
      return rowCount ?? 0
    },
  }
}
