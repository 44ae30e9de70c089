import * as oauth from 'oauth4webapi'
import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { openSecret, sealSecret } from '../../crypto/secret-box.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { resolveSafeRedirect } from '../../http/safe-redirect.js'
import type { UserRecord } from '../../storage/ports.js'
import { type OidcProfile, findOrCreateOidcUser, linkOidcIdentity, readOidcProfile } from './oidc-account.js'
import { toOidcFailure } from './oidc-failure.js'
import type { OidcSessionOrigin } from './oidc-session-link.js'
import { oidcOptions } from './oidc-options.js'
import { authenticateClient, openProviderClient } from './oidc-provider-client.js'
import { providerRequestOptions } from './provider-metadata.js'
import { verifyTokenResponse } from './verify-id-token.js'

export const oidcStatePurpose = 'oidc_state'

export interface StartOidcFlowInput {
  provider: string
  /** Where the browser lands afterwards: a path, or a URL on an allowed origin. Default '/'. */
  returnTo?: string | undefined
  /** Links the identity to this signed-in user instead of signing in. */
  linkUserId?: string | undefined
}

export interface StartedOidcFlow {
  /** The provider's authorization URL to send the browser to. */
  url: string
  /** Keep it bound to the browser (gatehouse's routes use a cookie) and give it back to finish the flow. */
  state: string
  expiresAt: number
}

export interface FinishOidcFlowInput {
  provider: string
  /** The callback URL the provider sent the browser to, query included. */
  callbackUrl: string | URL
  /** The state kept for this browser when the flow started; undefined when the browser had none. */
  state: string | undefined
}

export interface FinishedOidcFlow {
  user: UserRecord
  /** The absolute URL the browser should land on. */
  returnTo: string
  /** True when the flow linked the identity to a signed-in user (no new session is due). */
  linked: boolean
  profile: OidcProfile
  /** What logout needs to find the provider session again. */
  origin: OidcSessionOrigin
}

/** The part of a started flow kept sealed on the server: the browser only ever holds the state. */
interface FlowSecrets {
  nonce: string
  codeVerifier: string
}

function sealContext(stateHash: string): string {
  return `${oidcStatePurpose}:${stateHash}`
}

/** The absolute URL `returnTo` names, or 400 INVALID_REDIRECT (an open redirect refused before anything starts). */
function resolveReturnTo(core: Core, returnTo: string | undefined): string {
  const resolved = resolveSafeRedirect(oidcOptions.of(core).redirects, returnTo ?? '/')
  if (resolved === null) throw new AuthError('INVALID_REDIRECT')
  return resolved
}

/** The redirect_uri registered at providers: built from the route table like every other link. */
export function oidcRedirectUri(core: Core, provider: string): string {
  return core.urls.of('oidcCallback', { provider }).href
}

/**
 * Begins the authorization code flow with PKCE S256: state, nonce and code verifier of 256 random
 * bits each. Only sha256(state) is stored, with the nonce and verifier sealed; it is used once.
 */
export async function startOidcFlow(core: Core, input: StartOidcFlowInput): Promise<StartedOidcFlow> {
  const returnTo = resolveReturnTo(core, input.returnTo)
  const connected = await openProviderClient(core, input.provider)
  const { random, clock } = core.config
  const state = createSecret(random)
  const secrets: FlowSecrets = { nonce: createSecret(random), codeVerifier: createSecret(random) }
  const stateHash = sha256Hex(state)
  const now = clock.now()
  const expiresAt = now + oidcOptions.of(core).stateLifetimeSeconds * 1000
  await core.storage.verifications.create({
    id: createId(random),
    purpose: oidcStatePurpose,
    subject: stateHash,
    userId: input.linkUserId ?? null,
    secretHash: stateHash,
    data: { provider: connected.provider.id, returnTo, sealed: sealSecret(core.config, JSON.stringify(secrets), sealContext(stateHash)) },
    attempts: 0,
    createdAt: now,
    expiresAt,
  })
  const url = new URL(connected.server.authorization_endpoint ?? connected.provider.issuer)
  const params = {
    client_id: connected.provider.clientId,
    redirect_uri: oidcRedirectUri(core, connected.provider.id),
    response_type: 'code',
    scope: connected.provider.scope,
    state,
    nonce: secrets.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: 'S256',
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return { url: url.href, state, expiresAt }
}

/** The flow this browser started: its state must match the callback's, and is used up here, before any request to the provider. */
async function consumeFlow(core: Core, input: FinishOidcFlowInput, callbackState: string | null) {
  if (input.state === undefined || callbackState === null || !equalsConstantTime(input.state, callbackState)) {
    throw new AuthError('OIDC_STATE_INVALID')
  }
  const stateHash = sha256Hex(input.state)
  const record = await core.storage.verifications.consume(oidcStatePurpose, stateHash, core.config.clock.now())
  const data = record?.data
  if (record === null || data === undefined || data === null || data.provider !== input.provider || data.sealed === undefined || data.returnTo === undefined) {
    throw new AuthError('OIDC_STATE_INVALID')
  }
  const secrets = JSON.parse(openSecret(core.config, data.sealed, sealContext(stateHash))) as FlowSecrets
  return { secrets, returnTo: data.returnTo, linkUserId: record.userId }
}

/** Exchanges the code and checks everything the provider answered; the profile of whoever signed in. */
async function exchangeCode(core: Core, input: FinishOidcFlowInput, callbackParams: URLSearchParams, secrets: FlowSecrets) {
  const connected = await openProviderClient(core, input.provider)
  const { server, client, provider, settings } = connected
  try {
    const params = oauth.validateAuthResponse(server, client, callbackParams, input.state)
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client,
      await authenticateClient(provider),
      params,
      oidcRedirectUri(core, provider.id),
      secrets.codeVerifier,
      providerRequestOptions(settings),
    )
    const { claims, accessToken, idToken } = await verifyTokenResponse(core, connected, response, secrets.nonce)
    let merged: Record<string, unknown> = claims
    if (server.userinfo_endpoint !== undefined) {
      const userInfo = await oauth.userInfoRequest(server, client, accessToken, providerRequestOptions(settings))
      // Refuses a userinfo answer about anyone but the ID token's subject.
      merged = { ...(await oauth.processUserInfoResponse(server, client, claims.sub, userInfo)), iss: claims.iss, sub: claims.sub }
    }
    const profile = readOidcProfile(provider, merged)
    const origin: OidcSessionOrigin = { provider: provider.id, issuer: profile.issuer, subject: profile.subject, sid: typeof claims.sid === 'string' ? claims.sid : null, idToken }
    return { provider, profile, origin }
  } catch (error) {
    const failure = toOidcFailure(core, provider.id, error)
    // Endpoints or keys may have moved: the next sign-in discovers again.
    if (failure.code === 'OIDC_PROVIDER_UNAVAILABLE' || failure.code === 'OIDC_RESPONSE_INVALID') provider.metadata.forget()
    throw failure
  }
}

/**
 * Finishes a flow from its callback URL: the browser's state, then the provider's answer, then the
 * account by the linking policy (or the link to the user who started it). Nothing is begun:
 * the caller starts the session. Throws AuthError for every failure (see the README's callback codes).
 */
export async function finishOidcFlow(core: Core, input: FinishOidcFlowInput): Promise<FinishedOidcFlow> {
  const callbackParams = new URL(input.callbackUrl).searchParams
  const { secrets, returnTo, linkUserId } = await consumeFlow(core, input, callbackParams.get('state'))
  const { provider, profile, origin } = await exchangeCode(core, input, callbackParams, secrets)
  if (linkUserId !== null) {
    const user = await core.storage.users.getById(linkUserId)
    if (user === null) throw new AuthError('OIDC_STATE_INVALID')
    await linkOidcIdentity(core, provider, profile, user.id)
    return { user, returnTo, linked: true, profile, origin }
  }
  return { user: await findOrCreateOidcUser(core, provider, profile), returnTo, linked: false, profile, origin }
}
