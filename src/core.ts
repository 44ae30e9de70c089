import type { ResolvedConfig } from './config/base-options.js'
import type { PasswordHasher } from './crypto/password-hasher.js'
import type { BackgroundTasks } from './delivery/background-tasks.js'
import type { RouteUrls } from './http/route-urls.js'
import type { PendingChecks } from './http/pending-checks.js'
import type { Storage } from './storage/ports.js'
import type { RecordEvent } from './features/audit/record-event.js'

/** What the installed features do together, in FEATURES order. */
export interface InstalledFeatures {
  /** Every feature's part of the loginOptions answer, merged. */
  loginOptions(): Record<string, unknown>
  /** Every feature's clean-up for a user being deleted (sessions first); the user record itself is not touched. */
  deleteUser(userId: string): Promise<void>
}

/** What every operation of the core works with. Built once by createGatehouse. */
export interface Core {
  config: ResolvedConfig
  storage: Storage
  passwords: PasswordHasher
  /** Work started by a request that must not hold up its answer (mail on routes that must not tell who exists). */
  background: BackgroundTasks
  /** Absolute URLs of the mounted routes; every link gatehouse sends or answers is built from them. */
  urls: RouteUrls
  /** Each feature's resolved options by key; a feature reads its own through `options.of(core)`. */
  featureOptions: ReadonlyMap<string, unknown>
  features: InstalledFeatures
  /** Throttled checks this process is running, so a refused attempt knows whether a slot may still come free. */
  pendingChecks: PendingChecks
  /** The mount's OpenAPI document (`gate.openApi`), built from the route table the core's types do not import. */
  describeApi(options?: { title?: string | undefined; version?: string | undefined }): Record<string, unknown>
  /** Records a security event (onEvent, the audit store); every feature emits through it. Never rejects. */
  recordEvent: RecordEvent
  /** logger.warn, once per key for this gate (hints for a developer, not a log line per request). */
  warnOnce(key: string, message: string): void
}
