import type { Core } from '../../core.js'
import { revokeUserTokens } from './user-tokens.js'

/**
 * What a password change or reset does to tokens: revokes every API token and access client of
 * the user, unless `tokens.revokeOnPasswordChange` is false. Answers how many.
 */
export async function revokeTokensOnPasswordChange(core: Core, userId: string): Promise<number> {
  return core.config.tokens.revokeOnPasswordChange ? revokeUserTokens(core, userId) : 0
}
