import type { Random } from '../../config/clock.js'
import { encodeBase32 } from '../../crypto/base32.js'
import { sha256Hex } from '../../crypto/sha256.js'

const codeLength = 10

/** A recovery code: 10 base32 characters (50 bits) shown as 'xxxxx-xxxxx'. Attempts are throttled, so 50 bits is ample. */
export function createRecoveryCode(random: Random): string {
  const code = encodeBase32(random.bytes(7)).slice(0, codeLength).toLowerCase()
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** How a recovery code is stored and looked up: case, spaces and dashes do not matter. Null when it cannot be one. */
export function hashRecoveryCode(code: string): string | null {
  const normalized = code.replace(/[\s-]/g, '').toLowerCase()
  if (normalized.length !== codeLength || !/^[a-z2-7]+$/.test(normalized)) return null
  return sha256Hex(normalized)
}
