import type { GenerateId, RecordKind } from '../../src/index.js'

/**
 * Toggl's ids are integers (`workspace_id`, `ModelsUser.id`): gatehouse's `generateId` hands out
 * one counter per kind, as a database sequence would. In memory, so they restart with the process,
 * like the example's memory storage; a real host answers from its sequence instead.
 */
export function createIntegerIds(first = 1): GenerateId {
  const next: Record<RecordKind, number> = { user: first, token: first, workspace: first }
  return (kind) => String(next[kind]++)
}

/** A Toggl integer id on the wire (gatehouse keeps ids as strings). */
export function toIntegerId(id: string): number {
  return Number(id)
}

/** `workspace_id` in a path: a positive decimal integer that fits a JSON number exactly. */
export const integerIdFormat = /^[1-9][0-9]{0,14}$/
