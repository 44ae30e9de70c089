import type { Random } from '../config/clock.js'

/** Readable prefixes so a leaked secret is recognisable (secret scanners, logs). */
export const tokenPrefixes = {
  session: 'ghs_',
  apiToken: 'ghp_',
  accessClient: 'gha_',
  invitation: 'ghi_',
} as const

/** A secret of `byteLength` random bytes (>= 32 for credentials), base64url, behind `prefix`. */
export function createSecret(random: Random, prefix = '', byteLength = 32): string {
  return prefix + Buffer.from(random.bytes(byteLength)).toString('base64url')
}

/** A non-secret identifier for records (128 bits). */
export function createId(random: Random): string {
  return Buffer.from(random.bytes(16)).toString('base64url')
}
