import type { TokenRecord } from '../../storage/ports.js'

/** The one rule for when a token has ended: validation refuses it from `expiresAt` on, listings call it expired. */
export function isTokenExpired(token: Pick<TokenRecord, 'expiresAt'>, now: number): boolean {
  return token.expiresAt !== null && now >= token.expiresAt
}
