import type { InvitationRecord, InvitationStore } from '../../src/storage/ports.js'
import { parseBigint, parseNullableBigint } from './parse-bigint.js'
import { type PostgresNames, qualifyTable } from './postgres-names.js'
import type { RunQuery } from './query-runner.js'

interface InvitationRow {
  id: string
  workspace_id: string
  email: string
  role: string
  token_hash: string
  sealed_token: string
  invited_by: string
  created_at: string
  expires_at: string
  accepted_at: string | null
}

const INVITATION_COLUMNS = 'id, workspace_id, email, role, token_hash, sealed_token, invited_by, created_at, expires_at, accepted_at'

function readInvitation(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    role: row.role,
    tokenHash: row.token_hash,
    sealedToken: row.sealed_token,
    invitedBy: row.invited_by,
    createdAt: parseBigint(row.created_at),
    expiresAt: parseBigint(row.expires_at),
    acceptedAt: parseNullableBigint(row.accepted_at),
  }
}

export function createPostgresInvitationStore(runQuery: RunQuery, names: PostgresNames): InvitationStore {
  const invitations = qualifyTable(names, 'invitations')

  async function selectWhere(condition: string, value: string): Promise<InvitationRecord[]> {
    const { rows } = await runQuery<InvitationRow>(`SELECT ${INVITATION_COLUMNS} FROM ${invitations} WHERE ${condition} = $1 ORDER BY created_at, seq`, [value])
    return rows.map(readInvitation)
  }

  return {
    async create(invitation) {
      await runQuery(`INSERT INTO ${invitations} (${INVITATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        invitation.id,
        invitation.workspaceId,
        invitation.email,
        invitation.role,
        invitation.tokenHash,
        invitation.sealedToken,
        invitation.invitedBy,
        invitation.createdAt,
        invitation.expiresAt,
        invitation.acceptedAt,
      ])
    },

    getById: async (id) => (await selectWhere('id', id))[0] ?? null,

    getByTokenHash: async (tokenHash) => (await selectWhere('token_hash', tokenHash))[0] ?? null,

    listByWorkspace: (workspaceId) => selectWhere('workspace_id', workspaceId),

    listByEmail: (email) => selectWhere('email', email),

    async accept(id, now) {
      // The row lock makes concurrent updates queue; the next one re-reads accepted_at and matches nothing.
      const { rowCount } = await runQuery(
        `UPDATE ${invitations} SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL AND expires_at > $2`,
        [id, now],
      )
      return rowCount === 1
    },

    async delete(id) {
      const { rowCount } = await runQuery(`DELETE FROM ${invitations} WHERE id = $1`, [id])
      return rowCount === 1
    },

    async deleteByWorkspace(workspaceId) {
      const { rowCount } = await runQuery(`DELETE FROM ${invitations} WHERE workspace_id = $1`, [workspaceId])
      return rowCount ?? 0
    },

    async deleteByUser(userId, email) {
      const { rowCount } = await runQuery(`DELETE FROM ${invitations} WHERE invited_by = $1 OR email = $2`, [userId, email])
      return rowCount ?? 0
    },
  }
}
