import { sha256Hex } from '../../src/crypto/sha256.js'

/**
 * A prepared statement's name, from its text: statements on one pool with other schemas or
 * prefixes (other text) never share a name, which PostgreSQL would refuse.
 */
export function nameStatement(text: string): string {
  return `gatehouse_${sha256Hex(text).slice(0, 24)}`
}
