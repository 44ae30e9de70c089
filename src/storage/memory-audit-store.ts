import type { AuditRecord, AuditStore } from './ports.js'

export interface MemoryAuditStoreOptions {
  /** The oldest records go once there are more than this many. Default 10000. */
  maxRecords?: number | undefined
}

function copyRecord(record: AuditRecord): AuditRecord {
  return { ...record, details: { ...record.details } }
}

/** Security events in process memory, oldest dropped past `maxRecords`: for development, tests and single-process apps. */
export function memoryAuditStore(options: MemoryAuditStoreOptions = {}): AuditStore {
  const maxRecords = options.maxRecords ?? 10_000
  // In append order; list walks it backwards for newest first.
  let records: AuditRecord[] = []
  return {
    async append(record) {
      records.push(copyRecord(record))
      if (records.length > maxRecords) records.splice(0, records.length - maxRecords)
    },
    async list({ userId, workspaceId, since, limit }) {
      const matching = records.filter(
        (record) =>
          (userId === undefined || record.userId === userId) &&
          (workspaceId === undefined || record.workspaceId === workspaceId) &&
          (since === undefined || record.at >= since),
      )
      // Stable sort of the reversed list: newest first, later appends first among equal times.
      return matching
        .reverse()
        .sort((a, b) => b.at - a.at)
        .slice(0, limit)
        .map(copyRecord)
    },
    async deleteByUser(userId) {
      const before = records.length
      records = records.filter((record) => record.userId !== userId)
      return before - records.length
    },
  }
}
