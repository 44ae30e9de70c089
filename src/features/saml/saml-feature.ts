import { parseInput } from '../../http/read-input.js'
import { defineFeature } from '../feature.js'
import { createSamlLoginUrl } from './saml-login-request.js'
import { samlOptions } from './saml-options.js'
import { samlRoutes } from './saml-routes.js'
import { type ServiceProviderInfo, type SsoConfigInput, type SsoConfigListing, describeServiceProvider, saveSsoConfig, ssoConfigBody, toSsoConfigListing } from './sso-config.js'
import { ssoConfigRoutes } from './sso-config-routes.js'

/** Per-workspace SAML2 SSO, for hosts that build their own admin screens; no caller check is made (the routes make it). */
export interface SamlApi {
  saml: {
    /** The IdP URL that starts a login for the workspace, or the workspace owning the e-mail's domain. 404 without an enabled config; 400 INVALID_REDIRECT. */
    loginUrl(input: { workspaceId: string; returnTo?: string | undefined } | { email: string; returnTo?: string | undefined }): Promise<{ ssoUrl: string }>
    /** Replaces the workspace's SSO config, checked as ssoConfigPut's body (400 INVALID_REQUEST), without a role check. 409 SSO_DOMAIN_TAKEN. */
    saveConfig(input: { workspaceId: string; config: SsoConfigInput }): Promise<{ config: SsoConfigListing; sp: ServiceProviderInfo }>
    /** The workspace's SP entity id, ACS URL and metadata URL, to enter at the IdP. */
    serviceProvider(input: { workspaceId: string }): ServiceProviderInfo
  }
}

export const samlFeature = defineFeature({
  name: 'saml',
  options: samlOptions,
  stores: ['users', 'sessions', 'workspaces', 'verifications', 'limits'],
  routes: [...samlRoutes, ...ssoConfigRoutes],
  gate: (core): SamlApi => ({
    saml: {
      loginUrl: async (input) => {
        const { ssoUrl } = await createSamlLoginUrl(core, 'email' in input ? { email: input.email, returnTo: input.returnTo } : { workspaceId: input.workspaceId, returnTo: input.returnTo })
        return { ssoUrl }
      },
      saveConfig: async ({ workspaceId, config }) => ({
        config: toSsoConfigListing(await saveSsoConfig(core, workspaceId, parseInput(ssoConfigBody, config))),
        sp: describeServiceProvider(core, workspaceId),
      }),
      serviceProvider: ({ workspaceId }) => describeServiceProvider(core, workspaceId),
    },
  }),
  loginOptions: (core) => ({ saml: core.urls.has('samlLoginUrl') && core.urls.has('samlAcs') }),
  deleteUser: async (core, userId) => {
    await core.storage.workspaces.deleteSamlIdentitiesByUser(userId)
  },
})
