import { hash } from 'node:crypto'

/** Hex sha256: how every high-entropy secret is stored, so a read of the store leaks no usable credential. */
export function sha256Hex(value: string): string {
  // The one-shot hash() is about 2.5x faster than createHash() and this runs on every guarded request.
  return hash('sha256', value, 'hex')
}
