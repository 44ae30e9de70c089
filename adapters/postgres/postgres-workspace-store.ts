import type { MemberRecord, SamlIdentityRecord, SsoConfigRecord, WorkspaceRecord, WorkspaceStore } from '../../src/storage/ports.js'
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

interface SsoConfigRow {
  workspace_id: string
  idp_entity_id: string
  idp_sso_url: string
  idp_certificates: string[]
  domains: string[]
  enabled: boolean
  attribute_mapping: { email: string | null; name: string | null }
  allow_idp_initiated: boolean
  updated_at: string
}

interface SamlIdentityRow {
  id: string
  workspace_id: string
  idp_entity_id: string
  name_id: string
  user_id: string
  linked_at: string
}

const FOREIGN_KEY_VIOLATION = '23503'
const UNIQUE_VIOLATION = '23505'

const ssoConfigColumns = 'workspace_id, idp_entity_id, idp_sso_url, idp_certificates, domains, enabled, attribute_mapping, allow_idp_initiated, updated_at'
const samlIdentityColumns = 'id, workspace_id, idp_entity_id, name_id, user_id, linked_at'

function readSsoConfig(row: SsoConfigRow): SsoConfigRecord {
  return {
    workspaceId: row.workspace_id,
    idpEntityId: row.idp_entity_id,
    idpSsoUrl: row.idp_sso_url,
    idpCertificates: row.idp_certificates,
    domains: row.domains,
    enabled: row.enabled,
    attributeMapping: { email: row.attribute_mapping.email ?? null, name: row.attribute_mapping.name ?? null },
    allowIdpInitiated: row.allow_idp_initiated,
    updatedAt: parseBigint(row.updated_at),
  }
}

function readSamlIdentity(row: SamlIdentityRow): SamlIdentityRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    idpEntityId: row.idp_entity_id,
    nameId: row.name_id,
    userId: row.user_id,
    linkedAt: parseBigint(row.linked_at),
  }
}

/** Thrown inside a transaction to roll it back with an answer, not an error. */
class Outcome<T> {
  constructor(readonly value: T) {}
}

function readWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, createdAt: parseBigint(row.created_at) }
}

function readMember(row: MemberRow): MemberRecord {
  return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, joinedAt: parseBigint(row.joined_at) }
}

export function createPostgresWorkspaceStore(runQuery: RunQuery, runTransaction: RunTransaction, names: PostgresNames): WorkspaceStore {
  const workspaces = qualifyTable(names, 'workspaces')
  const members = qualifyTable(names, 'workspace_members')
  const ssoConfigs = qualifyTable(names, 'sso_configs')
  const ssoDomains = qualifyTable(names, 'sso_domains')
  const samlIdentities = qualifyTable(names, 'saml_identities')

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

    async getSsoConfig(workspaceId) {
      const { rows } = await runQuery<SsoConfigRow>(`SELECT ${ssoConfigColumns} FROM ${ssoConfigs} WHERE workspace_id = $1`, [workspaceId])
      const [row] = rows
      return row === undefined ? null : readSsoConfig(row)
    },

    async putSsoConfig(config) {
      try {
        return await runTransaction(async (run) => {
          const { rowCount } = await run(`SELECT 1 FROM ${workspaces} WHERE id = $1 FOR UPDATE`, [config.workspaceId])
          if (rowCount !== 1) throw new Outcome('workspace_not_found' as const)
          await run(
            `INSERT INTO ${ssoConfigs} (${ssoConfigColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (workspace_id) DO UPDATE SET idp_entity_id = $2, idp_sso_url = $3, idp_certificates = $4, domains = $5,
               enabled = $6, attribute_mapping = $7, allow_idp_initiated = $8, updated_at = $9`,
            [
              config.workspaceId,
              config.idpEntityId,
              config.idpSsoUrl,
              JSON.stringify(config.idpCertificates),
              JSON.stringify(config.domains),
              config.enabled,
              JSON.stringify(config.attributeMapping),
              config.allowIdpInitiated,
              config.updatedAt,
            ],
          )
          await run(`DELETE FROM ${ssoDomains} WHERE workspace_id = $1`, [config.workspaceId])
          // The primary key on domain decides between workspaces claiming one domain at once.
          if (config.domains.length > 0) {
            await run(`INSERT INTO ${ssoDomains} (domain, workspace_id) SELECT unnest($1::text[]), $2`, [config.domains, config.workspaceId])
          }
          return 'saved' as const
        })
      } catch (error) {
        if (error instanceof Outcome) return error.value as 'workspace_not_found'
        if (readErrorCode(error) === UNIQUE_VIOLATION) return 'domain_taken'
        if (readErrorCode(error) === FOREIGN_KEY_VIOLATION) return 'workspace_not_found'
        throw error
      }
    },

    async setSsoEnabled(workspaceId, enabled, updatedAt) {
      const { rowCount } = await runQuery(`UPDATE ${ssoConfigs} SET enabled = $2, updated_at = $3 WHERE workspace_id = $1`, [workspaceId, enabled, updatedAt])
      return rowCount === 1
    },

    async deleteSsoConfig(workspaceId) {
      const { rowCount } = await runQuery(`DELETE FROM ${ssoConfigs} WHERE workspace_id = $1`, [workspaceId])
      return rowCount === 1
    },

    async findSsoConfigByDomain(domain) {
      const { rows } = await runQuery<SsoConfigRow>(
        `SELECT ${ssoConfigColumns.split(', ').map((column) => `c.${column}`).join(', ')}
         FROM ${ssoDomains} d JOIN ${ssoConfigs} c ON c.workspace_id = d.workspace_id WHERE d.domain = $1`,
        [domain],
      )
      const [row] = rows
      return row === undefined ? null : readSsoConfig(row)
    },

    async linkSamlIdentity(identity) {
      const { rowCount } = await runQuery(
        `INSERT INTO ${samlIdentities} (${samlIdentityColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, idp_entity_id, name_id) DO NOTHING`,
        [identity.id, identity.workspaceId, identity.idpEntityId, identity.nameId, identity.userId, identity.linkedAt],
      )
      return rowCount === 1 ? 'linked' : 'taken'
    },

    async getSamlIdentity(workspaceId, idpEntityId, nameId) {
      const { rows } = await runQuery<SamlIdentityRow>(
        `SELECT ${samlIdentityColumns} FROM ${samlIdentities} WHERE workspace_id = $1 AND idp_entity_id = $2 AND name_id = $3`,
        [workspaceId, idpEntityId, nameId],
      )
      const [row] = rows
      return row === undefined ? null : readSamlIdentity(row)
    },

    async deleteSamlIdentitiesByUser(userId) {
      const { rowCount } = await runQuery(`DELETE FROM ${samlIdentities} WHERE user_id = $1`, [userId])
      return rowCount ?? 0
    },
  }
}
