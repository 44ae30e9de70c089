import { randomBytes } from 'node:crypto'

/** Where time comes from. Milliseconds since the Unix epoch. Tests pass a fixed one. */
export interface Clock {
  now(): number
}

/** Where randomness comes from. Must be cryptographically strong outside tests. */
export interface Random {
  bytes(length: number): Uint8Array
}

export const systemClock: Clock = { now: () => Date.now() }

export const systemRandom: Random = { bytes: (length) => randomBytes(length) }
