import type { HeaderReader } from '../../src/index.js'

/** Node's IncomingHttpHeaders shape. */
export type NodeHeaderRecord = Record<string, string | string[] | undefined>

/** Reads Node's already lower-cased header record without copying it (guards run on every request). */
export function readNodeHeaders(headers: NodeHeaderRecord): HeaderReader {
  return {
    get(name) {
      const value = headers[name]
      if (value === undefined) return null
      return typeof value === 'string' ? value : value.join(', ')
    },
  }
}
