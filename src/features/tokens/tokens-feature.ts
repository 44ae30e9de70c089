import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { activateAccessClient } from './activate-access-client.js'
import { createApiToken } from './create-api-token.js'
import { resetApiToken } from './reset-api-token.js'
import { revokeTokensOnPasswordChange } from './revoke-tokens-on-password-change.js'
import { tokenRoutes } from './token-routes.js'
import { getToken, listTokens, revokeToken, revokeUserTokens } from './user-tokens.js'
import { validateToken } from './validate-token.js'

/** API tokens and access clients (`kind` 'api_token' by default where a function takes one). */
export interface TokensApi {
  tokens: {
    /** Mints an API token; answers the secret once and the record. */
    create: Operation<typeof createApiToken>
    /** Replaces the user's default API token (Toggl's reset_token). */
    reset: Operation<typeof resetApiToken>
    /** Mints an access client (Cyclos); answers the secret once. */
    activateAccessClient: Operation<typeof activateAccessClient>
    /** The live token of a secret, or 401. */
    validate: Operation<typeof validateToken>
    list: Operation<typeof listTokens>
    /** One of the user's tokens, or null (another user's too). */
    get: Operation<typeof getToken>
    /** False when the token was not the user's or is gone. */
    revoke: Operation<typeof revokeToken>
    revokeAll: Operation<typeof revokeUserTokens>
    /** What a password change does to tokens: revokes them unless `tokens.revokeOnPasswordChange` is false. */
    revokeOnPasswordChange: Operation<typeof revokeTokensOnPasswordChange>
  }
}

export const tokensFeature = defineFeature({
  name: 'tokens',
  stores: ['tokens'],
  routes: tokenRoutes,
  gate: (core): TokensApi => ({
    tokens: {
      create: bindOperation(core, createApiToken),
      reset: bindOperation(core, resetApiToken),
      activateAccessClient: bindOperation(core, activateAccessClient),
      validate: bindOperation(core, validateToken),
      list: bindOperation(core, listTokens),
      get: bindOperation(core, getToken),
      revoke: bindOperation(core, revokeToken),
      revokeAll: bindOperation(core, revokeUserTokens),
      revokeOnPasswordChange: bindOperation(core, revokeTokensOnPasswordChange),
    },
  }),
  loginOptions: () => ({ apiToken: true, accessClient: true }),
  deleteUser: async (core, userId) => {
    await core.storage.tokens.deleteByUser(userId)
  },
})
