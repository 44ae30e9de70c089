import { hash } from 'node:crypto'

/** Hex SHA-1, only for the breached-password range protocol, which is defined over it; never for storing anything. */
export function sha1Hex(value: string): string {
  return hash('sha1', value, 'hex')
}
