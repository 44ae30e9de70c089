import { randomBytes } from 'node:crypto'

/** Where time comes from. Milliseconds since the Unix epoch. Tests pass a fixed one. */
export interface Clock {
  now(): number
}

/** Where randomness comes from. Must be cryptographically strong outside tests. */
export interface Random {
  bytes(length: number): Uint8Array
}

/** The records whose ids reach the wire as resource ids, and that a host may number itself. */
export type RecordKind = 'user' | 'token' | 'workspace'

/**
 * Where those ids come from when the host assigns them (a database sequence, the integer ids of
 * an API being reproduced). Each answer must be new for its kind; 1-128 characters of
 * A-Z a-z 0-9 . _ ~ - (ids travel in paths).
 */
export type GenerateId = (kind: RecordKind) => string | Promise<string>

export const systemClock: Clock = { now: () => Date.now() }

export const systemRandom: Random = { bytes: (length) => randomBytes(length) }
