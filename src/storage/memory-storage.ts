import { createMemoryFactorStore } from './memory-factor-store.js'
import { createMemoryIdentityStore } from './memory-identity-store.js'
import { createMemoryInvitationStore } from './memory-invitation-store.js'
import { createMemoryLimitStore } from './memory-limit-store.js'
import { createMemorySessionStore } from './memory-session-store.js'
import { createMemoryTokenStore } from './memory-token-store.js'
import { createMemoryUserStore } from './memory-user-store.js'
import { createMemoryVerificationStore } from './memory-verification-store.js'
import { createMemoryWorkspaceStore } from './memory-workspace-store.js'
import type { Storage } from './ports.js'

// Which stores lose their data on restart, for the start-up warnings; a WeakSet keeps the stores' types plain.
const memoryStores = new WeakSet<object>()

/** Every store in process memory: the default, and the reference the conformance kit is written against. */
export function memoryStorage(): Storage {
  const storage: Storage = {
    users: createMemoryUserStore(),
    sessions: createMemorySessionStore(),
    limits: createMemoryLimitStore(),
    tokens: createMemoryTokenStore(),
    verifications: createMemoryVerificationStore(),
    factors: createMemoryFactorStore(),
    workspaces: createMemoryWorkspaceStore(),
    invitations: createMemoryInvitationStore(),
    identities: createMemoryIdentityStore(),
  }
  for (const store of Object.values(storage)) memoryStores.add(store)
  return storage
}

/** Whether a store came from memoryStorage(). */
export function isMemoryStore(store: object): boolean {
  return memoryStores.has(store)
}
