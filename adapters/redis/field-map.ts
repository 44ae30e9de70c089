export type FieldMap = Record<string, string>

/**
 * A hash as a field map, from HGETALL (an object) or from a Lua script (a flat
 * [field, value, ...] array). Null when the hash is missing: Redis answers it as empty.
 */
export function parseFieldMap(reply: unknown): FieldMap | null {
  if (Array.isArray(reply)) {
    if (reply.length === 0) return null
    const fields: FieldMap = {}
    for (let index = 0; index + 1 < reply.length; index += 2) fields[String(reply[index])] = String(reply[index + 1])
    return fields
  }
  if (reply !== null && typeof reply === 'object' && Object.keys(reply).length > 0) return reply as FieldMap
  return null
}

/** A required field; a missing one means the hash was written by something else. */
export function readField(fields: FieldMap, name: string): string {
  const value = fields[name]
  if (value === undefined) throw new Error(`gatehouse/redis: stored hash lacks field ${name}`)
  return value
}

/** Nulls are stored as absent fields. */
export function readOptionalField(fields: FieldMap, name: string): string | null {
  return fields[name] ?? null
}

/** Flattens [field, value] pairs for HSET, leaving out nulls. */
export function flattenFields(entries: [string, string | number | null][]): (string | number)[] {
  const flat: (string | number)[] = []
  for (const [field, value] of entries) if (value !== null) flat.push(field, value)
  return flat
}
