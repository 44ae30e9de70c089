import { createMemoryFactorStore } from './memory-factor-store.js'
import { createMemoryInvitationStore } from './memory-invitation-store.js'
import { createMemoryLimitStore } from './memory-limit-store.js'
import { createMemorySessionStore } from './memory-session-store.js'
import { createMemoryTokenStore } from './memory-token-store.js'
import { createMemoryUserStore } from './memory-user-store.js'
import { createMemoryVerificationStore } from './memory-verification-store.js'
import { createMemoryWorkspaceStore } from './memory-workspace-store.js'
import type { Storage } from './ports.js'

/** Every store in process memory: the default, and the reference the conformance kit is written against. */
export function memoryStorage(): Storage {
  return {
    users: createMemoryUserStore(),
    sessions: createMemorySessionStore(),
    limits: createMemoryLimitStore(),
    tokens: createMemoryTokenStore(),
    verifications: createMemoryVerificationStore(),
    factors: createMemoryFactorStore(),
    workspaces: createMemoryWorkspaceStore(),
    invitations: createMemoryInvitationStore(),
  }
}
