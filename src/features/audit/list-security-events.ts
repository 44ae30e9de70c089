import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import type { AuditStore } from '../../storage/ports.js'
import { auditOptions } from './audit-options.js'
import { fromAuditRecord } from './record-event.js'
import type { SecurityEvent } from './security-event.js'

export interface ListSecurityEventsInput {
  userId?: string | undefined
  workspaceId?: string | undefined
  /** Only events at or after this time (ms since the epoch). */
  since?: number | undefined
  /** At most this many, newest first. Default 50, at most 1000. */
  limit?: number | undefined
}

/** A kept security event with its id. */
export type StoredSecurityEvent = SecurityEvent & { id: string }

/** 404 FEATURE_DISABLED without `audit.store`. */
export function requireAuditStore(core: Core): AuditStore {
  const { store } = auditOptions.of(core)
  if (store === null) throw new AuthError('FEATURE_DISABLED', { message: 'No audit store is configured.' })
  return store
}

/** Kept events matching every filter given, newest first. */
export async function listSecurityEvents(core: Core, input: ListSecurityEventsInput = {}): Promise<StoredSecurityEvent[]> {
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 50), 1), 1000)
  const records = await requireAuditStore(core).list({ userId: input.userId, workspaceId: input.workspaceId, since: input.since, limit })
  return records.map(fromAuditRecord)
}
