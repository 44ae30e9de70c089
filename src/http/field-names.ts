import type { OutputShape } from './route-options.js'

function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())
}

/** One key as `case` and `rename` say. */
export function renameKey(key: string, output: Pick<OutputShape, 'case' | 'rename'>): string {
  const cased = output.case === 'snake' ? toSnake(key) : output.case === 'camel' ? toCamel(key) : key
  return output.rename?.[cased] ?? cased
}

/** A JSON value with every object key renamed at any depth (arrays element by element). */
export function renameFields(value: unknown, output: Pick<OutputShape, 'case' | 'rename'>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameFields(item, output))
  if (typeof value !== 'object' || value === null) return value
  const renamed: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) renamed[renameKey(key, output)] = renameFields(field, output)
  return renamed
}
