import { randomBytes } from 'node:crypto'
import { benchUser } from './credentials.js'

/** The user JSON the bare and reference variants answer on GET /me. */
export const benchUserJson = {
  id: 'usr_0123456789abcdef',
  email: benchUser.email,
  name: benchUser.name,
  emailVerifiedAt: null,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
} as const

/** A random session-sized secret, so bare variants receive a Cookie header of a realistic size. */
export function randomSecret(prefix = 'ghs_'): string {
  return prefix + randomBytes(32).toString('base64url')
}
