import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import type { TokenKind, TokenRecord } from '../../storage/ports.js'
import { defineFeature } from '../feature.js'
import { activateAccessClient } from './activate-access-client.js'
import { createApiToken } from './create-api-token.js'
import { type PublicIssuedToken, type TokenListing, toPublicIssuedToken, toTokenListing } from './public-token.js'
import { resetApiToken } from './reset-api-token.js'
import { revokeTokensOnPasswordChange } from './revoke-tokens-on-password-change.js'
import { tokenRoutes } from './token-routes.js'
import { getToken, listTokens, revokeToken, revokeUserTokens } from './user-tokens.js'
import { validateToken } from './validate-token.js'

/** Whom a new token is for and what it may do. */
export interface TokenGrantInput {
  userId: string
  /** Default: the configured `defaultScopes` (only those of the parent, when there is one). */
  scopes?: string[] | undefined
  /**
   * The id of the token the request came with (`req.auth.token.id`), when a token, not a session,
   * asks: it needs the manage scope, and the new token gets at most its scopes and expiry. Omit it
   * for a session or the host itself (full rights). 404 when it is not one of the user's tokens.
   */
  parentTokenId?: string | undefined
}

/** What `gate.tokens.validate` answers: whose token it is, and its listing. */
export interface ValidatedToken {
  userId: string
  token: TokenListing
}

/** API tokens and access clients (`kind` 'api_token' by default where a function takes one). */
export interface TokensApi {
  tokens: {
    /** Mints an API token (`name` default 'API token'; `expiresInSeconds` within `maxLifetimeSeconds`). Answers its listing and `token`, the secret, shown this once. */
    create(input: TokenGrantInput & { name?: string | undefined; expiresInSeconds?: number | undefined }): Promise<PublicIssuedToken>
    /** Replaces the user's default API token (Toggl's reset_token); answers the new one as `create` does. */
    reset(input: Omit<TokenGrantInput, 'scopes'>): Promise<PublicIssuedToken>
    /** Mints an access client (Cyclos), replacing the user's one of the same name; answers it as `create` does. */
    activateAccessClient(input: TokenGrantInput & { name: string }): Promise<PublicIssuedToken>
    /** `{ userId, token }` of the live token of a secret of `kind`; 401 INVALID_TOKEN or TOKEN_EXPIRED otherwise. */
    validate(input: { secret: string; kind?: TokenKind | undefined }): Promise<ValidatedToken>
    /** The user's tokens of `kind`, oldest first, expired ones included. */
    list(input: { userId: string; kind?: TokenKind | undefined }): Promise<TokenListing[]>
    /** One of the user's tokens, or null (another user's too). */
    get(input: { userId: string; tokenId: string; kind?: TokenKind | undefined }): Promise<TokenListing | null>
    /** Revokes one of the user's tokens (with `tokens.revokeKeepsListed`, expires it and keeps it listed); false when it was not theirs or is gone. */
    revoke(input: { userId: string; tokenId: string; kind?: TokenKind | undefined }): Promise<boolean>
    /** Revokes all the user's tokens, of `kind` when given (both kinds otherwise); answers how many. */
    revokeAll(input: { userId: string; kind?: TokenKind | undefined }): Promise<number>
    /** What a password change does to tokens: revokes them all unless `tokens.revokeOnPasswordChange` is false; answers how many. */
    revokeOnPasswordChange(input: { userId: string }): Promise<number>
  }
}

/** The record behind `parentTokenId`: the grant rules read its scopes and expiry. */
async function findParentToken(core: Core, userId: string, tokenId: string | undefined): Promise<TokenRecord | undefined> {
  if (tokenId === undefined) return undefined
  const token = await core.storage.tokens.getById(tokenId)
  if (token === null || token.userId !== userId) throw notFound('Token')
  return token
}

export const tokensFeature = defineFeature({
  name: 'tokens',
  stores: ['tokens'],
  routes: tokenRoutes,
  gate: (core): TokensApi => {
    const now = () => core.config.clock.now()
    return {
      tokens: {
        create: async ({ parentTokenId, ...grant }) =>
          toPublicIssuedToken(await createApiToken(core, { ...grant, parent: await findParentToken(core, grant.userId, parentTokenId) }), now()),
        reset: async ({ userId, parentTokenId }) =>
          toPublicIssuedToken(await resetApiToken(core, { userId, parent: await findParentToken(core, userId, parentTokenId) }), now()),
        activateAccessClient: async ({ parentTokenId, ...grant }) =>
          toPublicIssuedToken(await activateAccessClient(core, { ...grant, parent: await findParentToken(core, grant.userId, parentTokenId) }), now()),
        validate: async ({ secret, kind = 'api_token' }) => {
          const { record: token } = await validateToken(core, secret, kind)
          return { userId: token.userId, token: toTokenListing(token, now()) }
        },
        list: async ({ userId, kind }) => (await listTokens(core, userId, kind)).map((token) => toTokenListing(token, now())),
        get: async ({ userId, tokenId, kind }) => {
          const token = await getToken(core, userId, tokenId, kind)
          return token === null ? null : toTokenListing(token, now())
        },
        revoke: ({ userId, tokenId, kind }) => revokeToken(core, userId, tokenId, kind),
        revokeAll: ({ userId, kind }) => revokeUserTokens(core, userId, kind),
        revokeOnPasswordChange: ({ userId }) => revokeTokensOnPasswordChange(core, userId),
      },
    }
  },
  loginOptions: () => ({ apiToken: true, accessClient: true }),
  deleteUser: async (core, userId) => {
    await core.storage.tokens.deleteByUser(userId)
  },
})
