import { createHash } from 'node:crypto'

/** Hex sha256: how every high-entropy secret is stored, so a read of the store leaks no usable credential. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}
