import { createHmac } from 'node:crypto'

/**
 * An RFC 6238 implementation written straight from the RFC with node:crypto, sharing nothing with
 * gatehouse or otplib, so tests can check our codes against it.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function referenceBase32Encode(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

export function referenceBase32Decode(text: string): Buffer {
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char)
    if (index < 0) throw new Error(`not base32: ${char}`)
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export interface ReferenceTotpOptions {
  algorithm?: 'sha1' | 'sha256' | 'sha512'
  digits?: number
  periodSeconds?: number
}

/** The TOTP code for a raw key at `epochSeconds` (RFC 6238 section 4, RFC 4226 section 5.3). */
export function referenceTotp(key: Uint8Array, epochSeconds: number, options: ReferenceTotpOptions = {}): string {
  const { algorithm = 'sha1', digits = 6, periodSeconds = 30 } = options
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(epochSeconds / periodSeconds)))
  const mac = createHmac(algorithm, key).update(counter).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits
  return String(binary).padStart(digits, '0')
}

/** The code for a base32 secret (what totpEnable answers) at a time in milliseconds (what the clock says). */
export function referenceTotpAt(base32Secret: string, timeMs: number, options: ReferenceTotpOptions = {}): string {
  return referenceTotp(referenceBase32Decode(base32Secret), Math.floor(timeMs / 1000), options)
}
