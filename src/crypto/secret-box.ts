import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import type { ResolvedConfig } from '../config/base-options.js'

const version = 'v1'
const ivBytes = 12
const tagBytes = 16

/** A key of its own for secrets at rest, so the configured secret is never used as an AES key directly. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse secret-box v1', 32))
}

/**
 * Encrypts a secret that must be read back (a TOTP seed) with AES-256-GCM under a key derived
 * from `config.secret`. `context` is bound as associated data (e.g. the owner's id), so a sealed
 * value copied to another record does not open. Output: 'v1.<iv>.<ciphertext+tag>', base64url.
 */
export function sealSecret(config: Pick<ResolvedConfig, 'secret' | 'random'>, plaintext: string, context: string): string {
  const iv = Buffer.from(config.random.bytes(ivBytes))
  const cipher = createCipheriv('aes-256-gcm', deriveKey(config.secret), iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${version}.${iv.toString('base64url')}.${sealed.toString('base64url')}`
}

/** Reverses sealSecret; throws when the value was altered, sealed for another context or under another secret. */
export function openSecret(config: Pick<ResolvedConfig, 'secret'>, sealed: string, context: string): string {
  const [prefix, ivText, bodyText] = sealed.split('.')
  if (prefix !== version || ivText === undefined || bodyText === undefined) throw new Error('secret-box: not a sealed value')
  const iv = Buffer.from(ivText, 'base64url')
  const body = Buffer.from(bodyText, 'base64url')
  if (iv.length !== ivBytes || body.length < tagBytes) throw new Error('secret-box: not a sealed value')
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(config.secret), iv)
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(body.subarray(body.length - tagBytes))
  return Buffer.concat([decipher.update(body.subarray(0, body.length - tagBytes)), decipher.final()]).toString('utf8')
}
