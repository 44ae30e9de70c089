import { hash, parseOptions, verify } from '@node-rs/argon2'
import type { Random } from '../config/clock.js'

export interface Argon2Parameters {
  /** KiB of memory. OWASP: 19456 (19 MiB). */
  memoryCost: number
  /** Iterations. OWASP: 2. */
  timeCost: number
  parallelism: number
}

/** OWASP Password Storage Cheat Sheet, argon2id minimum configuration. */
export const owaspArgon2Parameters: Argon2Parameters = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

export interface PasswordHasher {
  hash(password: string): Promise<string>
  /** False for a malformed stored hash rather than throwing. */
  verify(passwordHash: string, password: string): Promise<boolean>
  /** Spends the same work as a real verify, for accounts that do not exist or have no password. */
  verifyNothing(password: string): Promise<void>
  /** True when the stored hash was made with other parameters than the configured ones. */
  needsRehash(passwordHash: string): boolean
}

/** argon2id via @node-rs/argon2, which hashes on libuv's thread pool, off the event loop. */
export function createPasswordHasher(parameters: Argon2Parameters, random: Random): PasswordHasher {
  let dummyHash: Promise<string> | undefined

  const hashPassword = (password: string) => hash(password, { ...parameters, salt: Buffer.from(random.bytes(16)) })

  return {
    hash: hashPassword,
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password)
      } catch {
        return false
      }
    },
    async verifyNothing(password) {
      dummyHash ??= hashPassword(Buffer.from(random.bytes(24)).toString('base64url'))
      await verify(await dummyHash, password).catch(() => false)
    },
    needsRehash(passwordHash) {
      try {
        const used = parseOptions(passwordHash)
        return (
          used.memoryCost !== parameters.memoryCost ||
          used.timeCost !== parameters.timeCost ||
          used.parallelism !== parameters.parallelism
        )
      } catch {
        return true
      }
    },
  }
}
