import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import type { ResolvedConfig } from '../config/base-options.js'

const version = 'v1'
const ivBytes = 12
const tagBytes = 16

/** The keys a sealed value may be under: the current secret first, then the retired ones. */
export type SecretKeys = Pick<ResolvedConfig, 'secret' | 'previousSecrets'>

// HKDF per seal or open would cost more than the AES itself; the secrets of a process are few.
const derivedKeys = new Map<string, Buffer>()

/** A key of its own for secrets at rest, so the configured secret is never used as an AES key directly. */
function deriveKey(secret: string): Buffer {
  let key = derivedKeys.get(secret)
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse secret-box v1', 32))
    if (derivedKeys.size < 64) derivedKeys.set(secret, key)
  }
  return key
}

/**
 * Encrypts a secret that must be read back (a TOTP seed) with AES-256-GCM under a key derived
 * from the current `config.secret`. `context` is bound as associated data (e.g. the owner's id),
 * so a sealed value copied to another record does not open. Output: 'v1.<iv>.<ciphertext+tag>', base64url.
 */
export function sealSecret(config: Pick<ResolvedConfig, 'secret' | 'random'>, plaintext: string, context: string): string {
  const iv = Buffer.from(config.random.bytes(ivBytes))
  const cipher = createCipheriv('aes-256-gcm', deriveKey(config.secret), iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${version}.${iv.toString('base64url')}.${sealed.toString('base64url')}`
}

function openWithKey(secret: string, iv: Buffer, body: Buffer, context: string): string | null {
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret), iv)
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(body.subarray(body.length - tagBytes))
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - tagBytes)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}

export interface OpenedSecret {
  plaintext: string
  /** Sealed under a retired secret: seal it again with the current one. */
  stale: boolean
}

/**
 * Reverses sealSecret with the current secret or any retired one, and says which; throws when
 * the value was altered, sealed for another context or under a secret no longer listed.
 */
export function openSealedSecret(keys: SecretKeys, sealed: string, context: string): OpenedSecret {
  const [prefix, ivText, bodyText] = sealed.split('.')
  if (prefix !== version || ivText === undefined || bodyText === undefined) throw new Error('secret-box: not a sealed value')
  const iv = Buffer.from(ivText, 'base64url')
  const body = Buffer.from(bodyText, 'base64url')
  if (iv.length !== ivBytes || body.length < tagBytes) throw new Error('secret-box: not a sealed value')
  const candidates = [keys.secret, ...keys.previousSecrets]
  for (const [index, secret] of candidates.entries()) {
    const plaintext = openWithKey(secret, iv, body, context)
    if (plaintext !== null) return { plaintext, stale: index > 0 }
  }
  throw new Error('secret-box: sealed under no configured secret, or altered')
}

/** openSealedSecret for a caller that does not re-seal: the plaintext only. */
export function openSecret(keys: SecretKeys, sealed: string, context: string): string {
  return openSealedSecret(keys, sealed, context).plaintext
}
