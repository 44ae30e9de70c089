import { AuthError } from '../../errors/auth-error.js'
import { defineRoute } from '../../http/route.js'
import { federationOptions } from './federation-options.js'
import { findAudience, issueFederatedToken } from './issue-federated-token.js'
import { publishKeys } from './publish-keys.js'

export const federationRoutes = [
  defineRoute({
    name: 'federatedToken',
    method: 'GET',
    path: '/federation/:audience',
    // A pending session is refused by the router (403 SECOND_FACTOR_REQUIRED).
    access: 'user',
    async handle({ core, req, auth }) {
      const audience = findAudience(core, req.params.audience ?? federationOptions.of(core).defaultAudience)
      if (auth.token !== undefined && !audience.allowApiTokens) {
        throw new AuthError('FORBIDDEN', { message: 'This token is only for a signed-in session, not an API token.' })
      }
      const workspaceId = req.query().get('workspaceId') ?? undefined
      const { token } = await issueFederatedToken(core, { user: auth.user, audience: audience.name, workspaceId })
      return { status: 200, body: { token }, headers: [['cache-control', 'no-store']] }
    },
  }),
  defineRoute({
    name: 'jwks',
    method: 'GET',
    path: '/.well-known/jwks.json',
    access: 'public',
    async handle({ core }) {
      return { status: 200, body: { keys: publishKeys(core) }, headers: [['cache-control', 'public, max-age=60']] }
    },
  }),
]
