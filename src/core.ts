import type { ResolvedConfig } from './config/base-options.js'
import type { PasswordHasher } from './crypto/password-hasher.js'
import type { BackgroundTasks } from './delivery/background-tasks.js'
import type { Storage } from './storage/ports.js'

/** What every operation of the core works with: resolved options, stores and the password hasher. Built once. */
export interface Core {
  config: ResolvedConfig
  storage: Storage
  passwords: PasswordHasher
  /** Work started by a request that must not hold up its answer (mail on routes that must not tell who exists). */
  background: BackgroundTasks
}
