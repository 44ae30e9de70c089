import type { ResolvedConfig } from './config.js'
import type { PasswordHasher } from './crypto/password-hasher.js'
import type { BackgroundTasks } from './delivery/background-tasks.js'
import type { PendingChecks } from './pending-checks.js'
import type { Storage } from './storage/ports.js'

/** What every operation of the core works with: resolved options, stores and the password hasher. Built once. */
export interface Core {
  config: ResolvedConfig
  storage: Storage
  passwords: PasswordHasher
  /** Work started by a request that must not hold up its answer (mail on routes that must not tell who exists). */
  background: BackgroundTasks
  /** Throttled checks this process is running, so a refused attempt knows whether a slot may still come free. */
  pendingChecks: PendingChecks
}
