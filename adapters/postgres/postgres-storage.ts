import type { Pool } from 'pg'
import type { Storage } from '../../src/storage/ports.js'
import { createPostgresFactorStore } from './postgres-factor-store.js'
import { createPostgresIdentityStore } from './postgres-identity-store.js'
import { createPostgresInvitationStore } from './postgres-invitation-store.js'
import { createPostgresLimitStore } from './postgres-limit-store.js'
import { type PostgresStorageOptions, resolvePostgresNames } from './postgres-names.js'
import { createPostgresSessionStore } from './postgres-session-store.js'
import { createPostgresTokenStore } from './postgres-token-store.js'
import { createPostgresUserStore } from './postgres-user-store.js'
import { createPostgresVerificationStore } from './postgres-verification-store.js'
import { createPostgresWorkspaceStore } from './postgres-workspace-store.js'
import { createQueryRunner } from './query-runner.js'
import { createTransactionRunner } from './transaction-runner.js'

/**
 * Every store on PostgreSQL, through the host's pool. Run migrate() with the same options first.
 * For bounded failure give the pool `connectionTimeoutMillis` and `query_timeout`: an unreachable
 * or stalled server then answers STORAGE_UNAVAILABLE (503) instead of hanging the request.
 */
export function postgresStorage(pool: Pool, options: PostgresStorageOptions = {}): Storage {
  const names = resolvePostgresNames(options)
  const runQuery = createQueryRunner(pool)
  const runTransaction = createTransactionRunner(pool)
  const users = createPostgresUserStore(runQuery, names)
  return {
    users,
    sessions: createPostgresSessionStore(runQuery, names, users),
    limits: createPostgresLimitStore(runQuery, names),
    tokens: createPostgresTokenStore(runQuery, names, users),
    verifications: createPostgresVerificationStore(runQuery, names),
    factors: createPostgresFactorStore(runQuery, names),
    workspaces: createPostgresWorkspaceStore(runQuery, runTransaction, names),
    invitations: createPostgresInvitationStore(runQuery, names),
    identities: createPostgresIdentityStore(runQuery, names),
  }
}
