import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Core } from '../../core.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import type { ProviderClient } from './oidc-provider-client.js'
import type { ResolvedOidcProvider } from './oidc-options.js'

const backchannelLogoutEvent = 'http://schemas.openid.net/event/backchannel-logout'

// One key set per provider and jwks_uri, so keys are imported once and refetched on an unknown kid at most every 30 s.
const keySets = new WeakMap<ResolvedOidcProvider, { uri: string; keys: ReturnType<typeof createRemoteJWKSet> }>()

function keySetOf(provider: ResolvedOidcProvider, uri: string, timeoutMilliseconds: number) {
  let entry = keySets.get(provider)
  if (entry?.uri !== uri) {
    entry = { uri, keys: createRemoteJWKSet(new URL(uri), { timeoutDuration: timeoutMilliseconds }) }
    keySets.set(provider, entry)
  }
  return entry.keys
}

const invalidLogoutToken = (message: string) => new AuthError('INVALID_REQUEST', { message: `The logout token is not valid: ${message}.` })

/**
 * Checks a back-channel logout token (OpenID Connect Back-Channel Logout 1.0): typ logout+jwt,
 * the provider's key and pinned algorithm, iss, aud, iat (and exp when present), the logout
 * event, no nonce, a sub or a sid, and a jti used once. 400 INVALID_REQUEST otherwise, as the
 * specification asks. Answers the subject and sid it names.
 */
export async function verifyLogoutToken(core: Core, { provider, server, settings }: ProviderClient, token: string): Promise<{ subject?: string; sid?: string }> {
  if (server.jwks_uri === undefined) throw invalidLogoutToken('the provider publishes no keys')
  let payload
  try {
    ;({ payload } = await jwtVerify(token, keySetOf(provider, server.jwks_uri, settings.timeoutMilliseconds), {
      issuer: server.issuer,
      audience: provider.clientId,
      algorithms: [provider.idTokenSigningAlg],
      typ: 'logout+jwt',
      currentDate: new Date(core.config.clock.now()),
      clockTolerance: 60,
      maxTokenAge: '10 minutes',
      requiredClaims: ['iat', 'jti', 'events'],
    }))
  } catch {
    throw invalidLogoutToken('signature or claims')
  }
  const events = payload.events as Record<string, unknown> | undefined
  if (typeof events !== 'object' || events === null || typeof events[backchannelLogoutEvent] !== 'object') throw invalidLogoutToken('no logout event')
  if (payload.nonce !== undefined) throw invalidLogoutToken('it carries a nonce')
  const subject = typeof payload.sub === 'string' ? payload.sub : undefined
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined
  if (subject === undefined && sid === undefined) throw invalidLogoutToken('it names neither sub nor sid')
  const now = core.config.clock.now()
  // Replays within the token's acceptable age are refused; the key is hashed, since jti is the provider's text.
  const claimed = await core.storage.limits.claim(`oidc_logout:${sha256Hex(`${server.issuer}\u0000${String(payload.jti)}`)}`, now + 15 * 60_000, now)
  if (!claimed) throw invalidLogoutToken('it was used before')
  return { ...(subject === undefined ? {} : { subject }), ...(sid === undefined ? {} : { sid }) }
}
