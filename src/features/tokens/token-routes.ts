import { z } from 'zod'
import { AuthError, notFound } from '../../errors/auth-error.js'
import { idParams } from '../../http/id-params.js'
import { defineRoute } from '../../http/route.js'
import type { Authenticated } from '../../http/auth-context.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import type { Core } from '../../core.js'
import { activateAccessClient } from './activate-access-client.js'
import { createApiToken } from './create-api-token.js'
import type { IssuedToken } from './issue-token.js'
import { toPublicIssuedToken, toTokenListing } from './public-token.js'
import { resetApiToken } from './reset-api-token.js'
import { getToken, listTokens, revokeAndReturnToken, revokeToken } from './user-tokens.js'

const name = z.string().trim().min(1).max(100)
const scopes = z.array(z.string().min(1).max(100)).max(50)
const tenYearsSeconds = 10 * 366 * 24 * 3600

const createBody = z.object({
  name: name.optional(),
  scopes: scopes.optional(),
  expiresInSeconds: z.number().int().positive().max(tenYearsSeconds).optional(),
})

const activateBody = z.object({ name, scopes: scopes.optional() })

/** The one response that shows a secret: never cached. */
function respondWithSecret(core: Core, issued: IssuedToken, status: number): AuthResponse {
  return { status, body: toPublicIssuedToken(issued, core.config.clock.now()), headers: [['cache-control', 'no-store']] }
}

/** Records the new token or access client (its id, never its secret) and passes it on. */
async function recordCreated(core: Core, req: AuthRequest, auth: Authenticated, issued: IssuedToken): Promise<IssuedToken> {
  await core.recordEvent({ type: 'token_created', tokenId: issued.record.id, kind: issued.record.kind, userId: auth.user.id, sessionId: auth.session?.id }, req)
  return issued
}

export const tokenRoutes = [
  defineRoute({
    name: 'apiTokenCreate',
    method: 'POST',
    path: '/tokens',
    access: 'user',
    input: { body: createBody },
    async handle({ core, req, auth, input: { body: input } }) {
      if (input.name === undefined && core.config.tokens.requireName) {
        throw new AuthError('INVALID_REQUEST', { message: 'The token needs a name.', details: [{ path: 'name', message: 'Required' }] })
      }
      return respondWithSecret(core, await recordCreated(core, req, auth, await createApiToken(core, { ...input, userId: auth.user.id, parent: auth.token })), 201)
    },
  }),
  defineRoute({
    name: 'apiTokenList',
    manageScope: true,
    method: 'GET',
    path: '/tokens',
    access: 'user',
    async handle({ core, auth }) {
      const now = core.config.clock.now()
      return { status: 200, body: (await listTokens(core, auth.user.id)).map((token) => toTokenListing(token, now)) }
    },
  }),
  defineRoute({
    name: 'apiTokenReset',
    method: 'POST',
    path: '/tokens/reset',
    access: 'user',
    async handle({ core, req, auth }) {
      return respondWithSecret(core, await recordCreated(core, req, auth, await resetApiToken(core, { userId: auth.user.id, parent: auth.token })), 200)
    },
  }),
  defineRoute({
    name: 'apiTokenGet',
    manageScope: true,
    method: 'GET',
    path: '/tokens/:id',
    access: 'user',
    input: { params: idParams },
    async handle({ core, req, auth, input }) {
      const token = await getToken(core, auth.user.id, input.params.id)
      if (token === null) throw notFound('Token')
      return { status: 200, body: toTokenListing(token, core.config.clock.now()) }
    },
  }),
  defineRoute({
    name: 'apiTokenRevoke',
    manageScope: true,
    method: 'DELETE',
    path: '/tokens/:id',
    access: 'user',
    input: { params: idParams },
    async handle({ core, req, auth, input }) {
      const revoked = await revokeAndReturnToken(core, auth.user.id, input.params.id)
      if (revoked === null) throw notFound('Token')
      await core.recordEvent({ type: 'token_revoked', tokenId: input.params.id, kind: 'api_token', userId: auth.user.id, sessionId: auth.session?.id }, req)
      // The body is for shaping only (`success: { status: 200 }` answers the revoked token); a 204 sends none.
      return { status: 204, body: toTokenListing(revoked, core.config.clock.now()) }
    },
  }),
  defineRoute({
    name: 'accessClientActivate',
    method: 'POST',
    path: '/access-clients',
    access: 'user',
    input: { body: activateBody },
    async handle({ core, req, auth, input: { body: input } }) {
      return respondWithSecret(core, await recordCreated(core, req, auth, await activateAccessClient(core, { ...input, userId: auth.user.id, parent: auth.token })), 201)
    },
  }),
  defineRoute({
    name: 'accessClientDisconnect',
    method: 'DELETE',
    path: '/access-client',
    access: 'user',
    openToAnyToken: true,
    async handle({ core, req, auth }) {
      if (auth.token?.kind !== 'access_client') {
        throw new AuthError('ACCESS_CLIENT_REQUIRED', { message: `Send the access client's token in the ${core.config.tokens.accessClientHeader} header.` })
      }
      await revokeToken(core, auth.user.id, auth.token.id, 'access_client')
      await core.recordEvent({ type: 'token_revoked', tokenId: auth.token.id, kind: 'access_client', userId: auth.user.id }, req)
      return { status: 204 }
    },
  }),
]
