import * as oauth from 'oauth4webapi'

/** How a provider is reached: shared by discovery, token, userinfo and JWKS requests. */
export interface ProviderRequestSettings {
  allowInsecureRequests: boolean
  timeoutMilliseconds: number
}

/** The request options of one call to a provider: a fresh timeout each, so no request can hang a sign-in. */
export function providerRequestOptions(settings: ProviderRequestSettings): { [oauth.allowInsecureRequests]: boolean; signal: AbortSignal } {
  return { [oauth.allowInsecureRequests]: settings.allowInsecureRequests, signal: AbortSignal.timeout(settings.timeoutMilliseconds) }
}

/**
 * A provider's discovered metadata and its JWKS cache. One per configured provider, so what is
 * kept is bounded by the configuration; concurrent first requests share one discovery.
 */
export interface ProviderMetadata {
  /** The metadata, discovered again once older than the TTL or after `forget`. Rejects with what oauth4webapi threw. */
  discover(issuer: URL, settings: ProviderRequestSettings, now: number): Promise<oauth.AuthorizationServer>
  /** Drops the metadata after a failure it may explain (moved endpoints, rotated keys): the next sign-in discovers again. */
  forget(): void
  /**
   * oauth4webapi's JWKS cache, kept across rediscovery. It refetches the JWKS for an unknown `kid`
   * only when the cached set is at least 60 s old, which bounds refetches a forged `kid` can cause.
   */
  readonly jwksCache: oauth.JWKSCacheInput
}

export function createProviderMetadata(ttlSeconds: number): ProviderMetadata {
  let cached: { server: oauth.AuthorizationServer; fetchedAt: number } | null = null
  let pending: Promise<oauth.AuthorizationServer> | null = null

  async function fetchMetadata(issuer: URL, settings: ProviderRequestSettings, now: number): Promise<oauth.AuthorizationServer> {
    const response = await oauth.discoveryRequest(issuer, { ...providerRequestOptions(settings), algorithm: 'oidc' })
    // Refuses metadata whose issuer is not the configured one (a provider answering for another).
    const server = await oauth.processDiscoveryResponse(issuer, response)
    cached = { server, fetchedAt: now }
    return server
  }

  return {
    jwksCache: {},
    discover(issuer, settings, now) {
      if (cached !== null && now - cached.fetchedAt < ttlSeconds * 1000) return Promise.resolve(cached.server)
      pending ??= fetchMetadata(issuer, settings, now).finally(() => {
        pending = null
      })
      return pending
    },
    forget() {
      cached = null
    },
  }
}
