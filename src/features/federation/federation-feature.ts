import { notFound } from '../../errors/auth-error.js'
import { defineFeature } from '../feature.js'
import { federationOptions } from './federation-options.js'
import { federationRoutes } from './federation-routes.js'
import { issueFederatedToken } from './issue-federated-token.js'
import { publishKeys } from './publish-keys.js'

/** Signed tokens (JWT) for configured third-party services. */
export interface FederationApi {
  federation: {
    /** A token for `audience` about the user (and `workspaceId`, of which they must be a member): `{ token, expiresAt }` (ISO). 404 for an unknown audience or user. */
    issue(input: { userId: string; audience: string; workspaceId?: string | undefined }): Promise<{ token: string; expiresAt: string }>
    /** What the jwks route answers: `{ keys }`, the public keys of the asymmetric audiences. */
    jwks(): { keys: object[] }
  }
}

export const federationFeature = defineFeature({
  name: 'federation',
  options: federationOptions,
  routes: federationRoutes,
  gate: (core): FederationApi => ({
    federation: {
      issue: async ({ userId, audience, workspaceId }) => {
        const user = await core.storage.users.getById(userId)
        if (user === null) throw notFound('User')
        const { token, expiresAt } = await issueFederatedToken(core, { user, audience, workspaceId })
        return { token, expiresAt: new Date(expiresAt).toISOString() }
      },
      jwks: () => ({ keys: publishKeys(core) }),
    },
  }),
})
