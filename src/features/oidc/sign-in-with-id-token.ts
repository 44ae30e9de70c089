import * as oauth from 'oauth4webapi'
import { decodeJwt } from 'jose'
import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import type { UserRecord } from '../../storage/ports.js'
import type { ProfileValue } from '../../config/profile-field-options.js'
import { findOrCreateOidcUser, readOidcProfile } from './oidc-account.js'
import { toOidcFailure } from './oidc-failure.js'
import type { OidcSessionOrigin } from './oidc-session-link.js'
import { describeClient, openProviderClient } from './oidc-provider-client.js'
import { verifyTokenResponse } from './verify-id-token.js'

export interface IdTokenSignInInput {
  provider: string
  /** An ID token the provider gave a front-end or a native app (Google One Tap, Sign in with Apple). */
  idToken: string
  /** The nonce the front-end sent the provider, when it sent one; a token with a nonce needs it. */
  nonce?: string | undefined
  /** Profile field values (`profileFields`) for a user this sign-in creates. */
  profile?: Record<string, ProfileValue> | undefined
}

const invalidToken = () => new AuthError('OIDC_RESPONSE_INVALID', { message: 'The ID token is not valid.' })

/** The configured audience the token is for: the web client's id, or one of `additionalAudiences`. */
function chooseAudience(idToken: string, audiences: ReadonlySet<string>): string {
  let aud: unknown
  try {
    aud = decodeJwt(idToken).aud
  } catch {
    throw invalidToken()
  }
  const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  const chosen = named.find((each): each is string => typeof each === 'string' && audiences.has(each))
  if (chosen === undefined) throw invalidToken()
  return chosen
}

/**
 * The user an ID token signs in, under the same rules as the code flow: the provider's JWKS and
 * pinned algorithm, iss, aud (and azp), exp (401 TOKEN_EXPIRED), iat, the nonce, then the linking
 * policy. The token goes through the same oauth4webapi checks as a token endpoint answer, so the
 * two ways in cannot drift apart. No session is begun.
 */
export async function signInWithIdToken(core: Core, input: IdTokenSignInInput): Promise<{ user: UserRecord; origin: OidcSessionOrigin }> {
  const connected = await openProviderClient(core, input.provider)
  const { provider } = connected
  if (input.idToken.length === 0 || input.idToken.length > 16_384) throw invalidToken()
  const client = describeClient(core, provider, chooseAudience(input.idToken, provider.audiences))
  const answer = new Response(JSON.stringify({ access_token: 'unused', token_type: 'bearer', id_token: input.idToken }), {
    headers: { 'content-type': 'application/json' },
  })
  let claims: oauth.IDToken
  try {
    ;({ claims } = await verifyTokenResponse(core, { ...connected, client }, answer, input.nonce ?? oauth.expectNoNonce))
  } catch (error) {
    throw toOidcFailure(core, provider.id, error)
  }
  const profile = readOidcProfile(provider, claims)
  const sid = typeof claims.sid === 'string' ? claims.sid : null
  return { user: await findOrCreateOidcUser(core, provider, profile, input.profile), origin: { provider: provider.id, issuer: profile.issuer, subject: profile.subject, sid, idToken: input.idToken } }
}
