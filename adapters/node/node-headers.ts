import type { HeaderReader } from '../../src/index.js'

/** Node's IncomingHttpHeaders shape. */
export type NodeHeaderRecord = Record<string, string | string[] | undefined>

/** Reads Node's already lower-cased header record without copying it. A class: one allocation per request, no closure (guards run on every request). */
class NodeHeaders implements HeaderReader {
  readonly #headers: NodeHeaderRecord

  constructor(headers: NodeHeaderRecord) {
    this.#headers = headers
  }

  get(name: string): string | null {
    const value = this.#headers[name]
    if (value === undefined) return null
    return typeof value === 'string' ? value : value.join(', ')
  }
}

export function readNodeHeaders(headers: NodeHeaderRecord): HeaderReader {
  return new NodeHeaders(headers)
}
