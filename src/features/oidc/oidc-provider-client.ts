import { importJWK } from 'jose'
import * as oauth from 'oauth4webapi'
import { systemClock } from '../../config/clock.js'
import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { toDiscoveryFailure } from './oidc-failure.js'
import { type ResolvedOidcProvider, oidcOptions } from './oidc-options.js'
import type { ProviderRequestSettings } from './provider-metadata.js'

/** A configured provider with its discovered metadata: what every step of a sign-in talks to. */
export interface ProviderClient {
  provider: ResolvedOidcProvider
  server: oauth.AuthorizationServer
  client: oauth.Client
  settings: ProviderRequestSettings
}

// Imported once per provider: importing a key per request costs more than the request.
const privateKeys = new WeakMap<ResolvedOidcProvider, Promise<oauth.PrivateKey>>()

function loadPrivateKey(provider: ResolvedOidcProvider, jwk: Record<string, unknown>): Promise<oauth.PrivateKey> {
  let key = privateKeys.get(provider)
  if (key === undefined) {
    const alg = typeof jwk.alg === 'string' ? jwk.alg : 'RS256'
    key = importJWK(jwk, alg).then((imported) => ({
      key: imported as oauth.CryptoKey,
      ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}),
    }))
    privateKeys.set(provider, key)
  }
  return key
}

/** How gatehouse authenticates to the provider's token endpoint. */
export async function authenticateClient(provider: ResolvedOidcProvider): Promise<oauth.ClientAuth> {
  if (provider.tokenEndpointAuthMethod === 'private_key_jwt') return oauth.PrivateKeyJwt(await loadPrivateKey(provider, provider.privateKeyJwk!))
  if (provider.tokenEndpointAuthMethod === 'client_secret_post') return oauth.ClientSecretPost(provider.clientSecret!)
  return oauth.ClientSecretBasic(provider.clientSecret!)
}

/** The configured provider `id`; 404 OIDC_PROVIDER_UNKNOWN otherwise. */
export function findProvider(core: Core, id: string): ResolvedOidcProvider {
  const provider = oidcOptions.of(core).providers.get(id)
  if (provider === undefined) throw new AuthError('OIDC_PROVIDER_UNKNOWN')
  return provider
}

/**
 * The oauth4webapi client of `provider` as `clientId` (an ID token for a native app names its own).
 * oauth4webapi checks times against the real clock; the skew makes it check them against the core's.
 */
export function describeClient(core: Core, provider: ResolvedOidcProvider, clientId = provider.clientId): oauth.Client {
  return {
    client_id: clientId,
    id_token_signed_response_alg: provider.idTokenSigningAlg,
    [oauth.clockSkew]: Math.round((core.config.clock.now() - systemClock.now()) / 1000),
  }
}

/** The provider `id`, discovered (from the cache when fresh); 404 OIDC_PROVIDER_UNKNOWN, 502 OIDC_PROVIDER_UNAVAILABLE. */
export async function openProviderClient(core: Core, id: string): Promise<ProviderClient> {
  const provider = findProvider(core, id)
  const { allowInsecureRequests, timeoutMilliseconds } = oidcOptions.of(core)
  const settings = { allowInsecureRequests, timeoutMilliseconds }
  let server: oauth.AuthorizationServer
  try {
    server = await provider.metadata.discover(provider.issuer, settings, core.config.clock.now())
  } catch (error) {
    throw toDiscoveryFailure(core, provider.id, error)
  }
  return { provider, server, client: describeClient(core, provider), settings }
}
