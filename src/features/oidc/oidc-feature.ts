import { type PublicUser, toPublicUser } from '../../http/auth-context.js'
import { defineFeature } from '../feature.js'
import { type IdentityListing, toIdentityListing } from './identity-listing.js'
import { identityRoutes } from './identity-routes.js'
import { type StartedOidcFlow, finishOidcFlow, startOidcFlow } from './oidc-flow.js'
import { oidcOptions } from './oidc-options.js'
import { oidcRoutes } from './oidc-routes.js'
import { signInWithIdToken } from './sign-in-with-id-token.js'
import { unlinkIdentity } from './unlink-identity.js'

export interface OidcApi {
  oidc: {
    /**
     * Begins a sign-in: `{ url, state, expiresAt }`. Send the browser to `url`; keep `state` bound
     * to that browser (a cookie, your session) and give it to `callback`. 404 OIDC_PROVIDER_UNKNOWN,
     * 400 INVALID_REDIRECT, 502 OIDC_PROVIDER_UNAVAILABLE.
     */
    start(input: { provider: string; returnTo?: string | undefined }): Promise<StartedOidcFlow>
    /** As `start`, for a signed-in user: the callback links the identity to `userId` instead of signing in. */
    link(input: { provider: string; userId: string; returnTo?: string | undefined }): Promise<StartedOidcFlow>
    /**
     * Finishes a flow from the callback URL and the browser's `state`: `{ user, returnTo, linked }`.
     * No session is begun: call `sessions.issue` (a user with a second factor should get a pending
     * one). Throws AuthError with the callback codes of the README.
     */
    callback(input: { provider: string; callbackUrl: string | URL; state: string | undefined }): Promise<{ user: PublicUser; returnTo: string; linked: boolean }>
    /** Checks an ID token (One Tap, a native app) like the callback does and answers its user; no session is begun. 401 TOKEN_EXPIRED, OIDC_RESPONSE_INVALID. */
    signInWithIdToken(input: { provider: string; idToken: string; nonce?: string | undefined }): Promise<{ user: PublicUser }>
    /** The user's linked identities, oldest first. */
    listIdentities(input: { userId: string }): Promise<IdentityListing[]>
    /** Removes one; 404 when not the user's, 409 LAST_SIGN_IN_METHOD when it is their last way in. */
    unlinkIdentity(input: { userId: string; identityId: string }): Promise<void>
  }
}

/** Sign-in with OpenID Providers (code flow with PKCE, or an ID token), linked identities. */
export const oidcFeature = defineFeature({
  name: 'oidc',
  options: oidcOptions,
  stores: ['users', 'sessions', 'verifications', 'identities'],
  routes: [...oidcRoutes, ...identityRoutes],
  gate: (core): OidcApi => ({
    oidc: {
      start: ({ provider, returnTo }) => startOidcFlow(core, { provider, returnTo }),
      link: ({ provider, userId, returnTo }) => startOidcFlow(core, { provider, returnTo, linkUserId: userId }),
      callback: async (input) => {
        const { user, returnTo, linked } = await finishOidcFlow(core, input)
        return { user: toPublicUser(user), returnTo, linked }
      },
      signInWithIdToken: async (input) => ({ user: toPublicUser((await signInWithIdToken(core, input)).user) }),
      listIdentities: async ({ userId }) => (await core.storage.identities.listByUser(userId)).map(toIdentityListing),
      unlinkIdentity: (input) => unlinkIdentity(core, input),
    },
  }),
  loginOptions: (core) => ({
    oidc: core.urls.has('oidcStart')
      ? [...oidcOptions.of(core).providers.values()].map(({ id, name }) => ({ id, name, loginUrl: core.urls.of('oidcStart', { provider: id }).href }))
      : [],
  }),
  deleteUser: async (core, userId) => {
    await core.storage.identities.deleteByUser(userId)
  },
})
