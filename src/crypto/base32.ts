import { ScureBase32Plugin } from 'otplib'

const base32 = new ScureBase32Plugin()

/** RFC 4648 base32 without padding: what authenticator apps read in otpauth:// URLs. */
export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes, { padding: false })
}
