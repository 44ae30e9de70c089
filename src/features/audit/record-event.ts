import type { ResolvedConfig } from '../../config/base-options.js'
import { createId } from '../../crypto/random-token.js'
import type { HeaderReader } from '../../http/types.js'
import type { AuditRecord, AuditStore } from '../../storage/ports.js'
import type { SecurityEvent, SecurityEventInput } from './security-event.js'

/** What an event reads of the request it came with. */
export interface EventRequest {
  ip?: string | undefined
  headers: HeaderReader
}

/** `core.recordEvent`: resolves once the audit store kept the event; never rejects. */
export type RecordEvent = (event: SecurityEventInput, req?: EventRequest | null) => Promise<void>

const contextFields = new Set(['type', 'at', 'userId', 'sessionId', 'workspaceId', 'ip', 'userAgent'])

export function toAuditRecord(id: string, event: SecurityEvent): AuditRecord {
  const details = Object.fromEntries(Object.entries(event).filter(([key]) => !contextFields.has(key))) as AuditRecord['details']
  const { type, at, userId, sessionId, workspaceId, ip, userAgent } = event
  return { id, type, at, userId, sessionId, workspaceId, ip, userAgent, details }
}

export function fromAuditRecord(record: AuditRecord): SecurityEvent & { id: string } {
  const { details, ...context } = record
  return { ...details, ...context } as SecurityEvent & { id: string }
}

/**
 * The one place events are made: time from the core clock, IP and user agent from the request.
 * `onEvent` is called without waiting for it; the audit store is awaited. A listener or store that
 * fails is said once at warn and never fails the request that caused the event.
 */
export function createEventRecorder(
  config: ResolvedConfig,
  store: () => AuditStore | null,
  warnOnce: (key: string, message: string) => void,
): RecordEvent {
  const listenerFailed = (error: unknown) =>
    warnOnce('onEvent', `onEvent failed (${error instanceof Error ? error.name : typeof error}); requests go on and later events are still delivered.`)
  return async (input, req) => {
    const event = {
      userId: null,
      sessionId: null,
      workspaceId: null,
      ...input,
      at: config.clock.now(),
      ip: req?.ip ?? null,
      userAgent: req?.headers.get('user-agent')?.slice(0, 512) ?? null,
    } as SecurityEvent
    const { onEvent } = config
    if (onEvent !== null) {
      try {
        // Not awaited: a slow listener must not slow the request down.
        Promise.resolve(onEvent({ ...event })).catch(listenerFailed)
      } catch (error) {
        listenerFailed(error)
      }
    }
    const auditStore = store()
    if (auditStore === null) return
    try {
      await auditStore.append(toAuditRecord(createId(config.random), event))
    } catch (error) {
      warnOnce('auditStore', `audit store: append failed (${error instanceof Error ? error.name : typeof error}); the event went to onEvent only.`)
    }
  }
}
