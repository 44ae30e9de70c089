import * as oauth from 'oauth4webapi'
import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import type { ProviderClient } from './oidc-provider-client.js'
import { providerRequestOptions } from './provider-metadata.js'

/** An `iat` further ahead than this was not issued by a provider with a sane clock (oauth4webapi checks no upper bound). */
const maxIssuedAtSkewSeconds = 60

export interface VerifiedTokens {
  claims: oauth.IDToken
  /** Only ever sent to the provider's userinfo endpoint; never stored, never answered. */
  accessToken: string
  idToken: string
}

/**
 * Checks a token endpoint answer: its ID token's claims through oauth4webapi (alg pinned to the
 * provider's, iss, aud, azp with several audiences, exp, nonce), its signature against the
 * provider's JWKS (which oauth4webapi skips unless asked), and `iat` not in the future.
 * Throws what oauth4webapi throws, or 401 OIDC_RESPONSE_INVALID.
 */
export async function verifyTokenResponse(
  core: Core,
  { server, client, provider, settings }: ProviderClient,
  response: Response,
  expectedNonce: string | typeof oauth.expectNoNonce,
): Promise<VerifiedTokens> {
  const result = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce, requireIdToken: true })
  await oauth.validateApplicationLevelSignature(server, response, { ...providerRequestOptions(settings), [oauth.jwksCache]: provider.metadata.jwksCache })
  const claims = oauth.getValidatedIdTokenClaims(result)
  if (claims === undefined || result.id_token === undefined) throw new AuthError('OIDC_RESPONSE_INVALID')
  if (claims.iat > Math.floor(core.config.clock.now() / 1000) + maxIssuedAtSkewSeconds) {
    throw new AuthError('OIDC_RESPONSE_INVALID', { message: 'The ID token was issued in the future.' })
  }
  return { claims, accessToken: result.access_token, idToken: result.id_token }
}
