/** A `fields` selection compiled into a tree: kept names, dropped names and selections of nested fields. */
interface FieldSelection {
  keep: Set<string>
  drop: Set<string>
  nested: Map<string, FieldSelection>
}

function emptySelection(): FieldSelection {
  return { keep: new Set(), drop: new Set(), nested: new Map() }
}

// Bounds what one request can ask for, whatever the query holds.
const maxFieldPaths = 100
const maxFieldDepth = 8

/**
 * Compiles `fields` values (repeated, comma-separated or both): `a` keeps a, `-a` or `!a` drops
 * it, `b.b1` keeps only b1 inside b, `c.-c1` keeps c without c1.
 */
export function parseFieldSelection(values: readonly string[]): FieldSelection | null {
  const paths = values.flatMap((value) => value.split(',')).map((path) => path.trim()).filter((path) => path !== '').slice(0, maxFieldPaths)
  if (paths.length === 0) return null
  const root = emptySelection()
  for (const path of paths) {
    const parts = path.split('.').slice(0, maxFieldDepth)
    let selection = root
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1
      if (last) {
        if (part.startsWith('-') || part.startsWith('!')) selection.drop.add(part.slice(1))
        else selection.keep.add(part)
        continue
      }
      let next = selection.nested.get(part)
      if (next === undefined) selection.nested.set(part, (next = emptySelection()))
      selection = next
    }
  }
  return root
}

/** The value with only the selected fields; arrays are filtered element by element. */
export function selectFields(value: unknown, selection: FieldSelection): unknown {
  if (Array.isArray(value)) return value.map((item) => selectFields(item, selection))
  if (typeof value !== 'object' || value === null) return value
  // An unprefixed name at this level, plain ('a') or leading into nested ones ('c.-c1'), makes the level a whitelist.
  const whitelist = selection.keep.size > 0 || selection.nested.size > 0
  const result: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    if (selection.drop.has(key)) continue
    const nested = selection.nested.get(key)
    if (whitelist && !selection.keep.has(key) && nested === undefined) continue
    result[key] = nested === undefined ? field : selectFields(field, nested)
  }
  return result
}
