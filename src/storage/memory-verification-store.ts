import { createExpirySweep } from './expiry-sweep.js'
import { addToIndex, removeFromIndex } from './secondary-index.js'
import type { VerificationRecord, VerificationStore } from './ports.js'

function copyVerification(record: VerificationRecord): VerificationRecord {
  return { ...record, data: record.data === null ? null : { ...record.data } }
}

function isVerificationExpired(record: VerificationRecord, now: number): boolean {
  return now >= record.expiresAt
}

/** NUL cannot occur in a purpose, so joined keys cannot collide. */
function joinKey(purpose: string, value: string): string {
  return `${purpose}\u0000${value}`
}

export function createMemoryVerificationStore(): VerificationStore {
  const recordsById = new Map<string, VerificationRecord>()
  // A set, not one id: short codes are low-entropy, so two subjects may hold the same secret hash.
  const idsBySecret = new Map<string, Set<string>>()
  const idsBySubject = new Map<string, string>()
  const idsByUser = new Map<string, Set<string>>()

  function removeRecord(id: string, record: VerificationRecord): void {
    recordsById.delete(id)
    removeFromIndex(idsBySecret, joinKey(record.purpose, record.secretHash), id)
    const subjectKey = joinKey(record.purpose, record.subject)
    if (idsBySubject.get(subjectKey) === id) idsBySubject.delete(subjectKey)
    if (record.userId !== null) removeFromIndex(idsByUser, record.userId, id)
  }

  const sweepExpired = createExpirySweep(recordsById, isVerificationExpired, removeRecord)

  return {
    async create(record) {
      sweepExpired(record.createdAt)
      const subjectKey = joinKey(record.purpose, record.subject)
      const supersededId = idsBySubject.get(subjectKey)
      const superseded = supersededId === undefined ? undefined : recordsById.get(supersededId)
      if (supersededId !== undefined && superseded !== undefined) removeRecord(supersededId, superseded)
      recordsById.set(record.id, copyVerification(record))
      addToIndex(idsBySecret, joinKey(record.purpose, record.secretHash), record.id)
      idsBySubject.set(subjectKey, record.id)
      if (record.userId !== null) addToIndex(idsByUser, record.userId, record.id)
    },

    async consume(purpose, secretHash, now) {
      const ids = idsBySecret.get(joinKey(purpose, secretHash))
      if (ids === undefined) return null
      for (const id of [...ids]) {
        const record = recordsById.get(id)
        if (record === undefined) continue
        removeRecord(id, record)
        if (!isVerificationExpired(record, now)) return copyVerification(record)
      }
      return null
    },

    async find(purpose, subject, now) {
      const id = idsBySubject.get(joinKey(purpose, subject))
      const record = id === undefined ? undefined : recordsById.get(id)
      if (id === undefined || record === undefined) return null
      if (!isVerificationExpired(record, now)) return copyVerification(record)
      removeRecord(id, record)
      return null
    },

    async addAttempt(id) {
      const record = recordsById.get(id)
      if (record === undefined) return 0
      record.attempts++
      return record.attempts
    },

    async delete(id) {
      const record = recordsById.get(id)
      if (record === undefined) return false
      removeRecord(id, record)
      return true
    },

    async deleteByUser(userId) {
      const ids = idsByUser.get(userId)
      if (ids === undefined) return 0
      let removed = 0
      for (const id of [...ids]) {
        const record = recordsById.get(id)
        if (record === undefined) continue
        removeRecord(id, record)
        removed++
      }
      return removed
    },
  }
}
