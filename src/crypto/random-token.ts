import type { GenerateId, Random, RecordKind } from '../config/clock.js'
import { ConfigError } from '../errors/config-error.js'

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

const recordIdPattern = /^[A-Za-z0-9._~-]{1,128}$/

/** The id of a new user, token or workspace: the host's `generateId` when it has one, checked, else createId. */
export async function createRecordId(config: { random: Random; generateId: GenerateId | null }, kind: RecordKind): Promise<string> {
  if (config.generateId === null) return createId(config.random)
  const id: unknown = await config.generateId(kind)
  // A bad id would end up in URLs and store keys: a host bug, told as loudly as a bad option.
  if (typeof id !== 'string' || !recordIdPattern.test(id)) {
    throw new ConfigError([`generateId('${kind}') answered ${typeof id === 'string' ? JSON.stringify(id.slice(0, 40)) : typeof id}: an id is 1-128 characters of A-Z a-z 0-9 . _ ~ -`])
  }
  return id
}
