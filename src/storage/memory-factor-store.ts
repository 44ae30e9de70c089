import { addToIndex, removeFromIndex } from './secondary-index.js'
import { pickDefinedFields } from './pick-defined-fields.js'
import type { FactorKind, FactorRecord, FactorStore } from './ports.js'

function copyFactor(factor: FactorRecord): FactorRecord {
  return { ...factor, data: factor.data === null ? null : { ...factor.data } }
}

export function createMemoryFactorStore(): FactorStore {
  const factorsById = new Map<string, FactorRecord>()
  const idsByUser = new Map<string, Set<string>>()

  function removeFactor(id: string, factor: FactorRecord): void {
    factorsById.delete(id)
    removeFromIndex(idsByUser, factor.userId, id)
  }

  function selectUserFactors(userId: string, kind: FactorKind | undefined): FactorRecord[] {
    const factors: FactorRecord[] = []
    for (const id of idsByUser.get(userId) ?? []) {
      const factor = factorsById.get(id)
      if (factor !== undefined && (kind === undefined || factor.kind === kind)) factors.push(factor)
    }
    return factors
  }

  return {
    async create(factor) {
      if (factorsById.has(factor.id)) return 'id_taken'
      factorsById.set(factor.id, copyFactor(factor))
      addToIndex(idsByUser, factor.userId, factor.id)
      return 'created'
    },

    async getById(id) {
      const factor = factorsById.get(id)
      return factor === undefined ? null : copyFactor(factor)
    },

    async listByUser(userId, kind) {
      return selectUserFactors(userId, kind).map(copyFactor)
    },

    async update(id, patch) {
      const factor = factorsById.get(id)
      if (factor === undefined) return false
      factorsById.set(id, { ...factor, ...pickDefinedFields(patch) })
      return true
    },

    async advanceStep(id, step) {
      const factor = factorsById.get(id)
      if (factor === undefined) return false
      if (factor.lastUsedStep !== null && factor.lastUsedStep >= step) return false
      factor.lastUsedStep = step
      return true
    },

    async delete(id) {
      const factor = factorsById.get(id)
      if (factor === undefined) return false
      removeFactor(id, factor)
      return true
    },

    async deleteByUser(userId, kind) {
      const factors = selectUserFactors(userId, kind)
      for (const factor of factors) removeFactor(factor.id, factor)
      return factors.length
    },
  }
}
