import { z } from 'zod'
import { absolutePath, seconds } from '../../config/option-schemas.js'
import { ConfigError } from '../../errors/config-error.js'
import type { RedirectPolicy } from '../../http/safe-redirect.js'
import { defineFeatureOptions } from '../feature-options.js'
import { type ProviderMetadata, createProviderMetadata } from './provider-metadata.js'

/** Asymmetric algorithms only: 'none' is never accepted, and HS* would let anyone holding the client secret mint tokens. */
export const idTokenSigningAlgs = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const
export type IdTokenSigningAlg = (typeof idTokenSigningAlgs)[number]

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt'

/** One OpenID Provider in `oidc.providers`. */
export interface OidcProviderOptions {
  /** In URLs (`/oidc/:provider/login`) and listings: 1-64 letters, digits, '-' or '_'. */
  id: string
  /** What a login page shows ('Corp SSO'). */
  name: string
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`, and the issuer it names must equal this. */
  issuer: string
  clientId: string
  /** For client_secret_basic and client_secret_post. */
  clientSecret?: string | undefined
  /** The private JWK (with `alg`, and `kid` when the provider has several) for private_key_jwt. */
  privateKeyJwk?: Record<string, unknown> | undefined
  /** Default client_secret_basic, or private_key_jwt when only `privateKeyJwk` is given. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod | undefined
  /** Default ['openid', 'email', 'profile']; 'openid' is always sent. */
  scopes?: string[] | undefined
  /** The one algorithm ID tokens must be signed with. Default 'RS256'. */
  idTokenSigningAlg?: IdTokenSigningAlg | undefined
  /** Whether a first login of an unknown person creates a user. Default true. */
  allowSignup?: boolean | undefined
  /** Whether a first login links to an existing account of the same e-mail, for `email_verified` claims only. Default false. */
  linkByEmail?: boolean | undefined
  /** Claim names to read the e-mail and the name from. Default `email` and `name`. */
  claims?: { email?: string | undefined; name?: string | undefined } | undefined
  /** Audiences an ID token given to oidcTokenLogin may carry besides clientId (a native app's or One Tap's client id). */
  additionalAudiences?: string[] | undefined
}

/** `createGatehouse({ oidc })`: sign-in with OpenID Providers. */
export interface OidcOptions {
  providers: OidcProviderOptions[]
  /** Allow http issuers (loopback test providers). Default false; a ConfigError with NODE_ENV=production. */
  allowInsecureRequests?: boolean | undefined
  /** Where callback failures redirect to, with `?error=CODE`. A path on baseUrl. Default '/'. */
  loginPage?: string | undefined
  /** Origins besides baseUrl's that `returnTo` may point at. Relative paths always stay on baseUrl's origin. */
  allowedRedirectOrigins?: string[] | undefined
  /** How long a started sign-in may take at the provider. Default 600 (10 minutes). */
  stateLifetimeSeconds?: number | undefined
  /** Where the browser lands after oidcLogout (register it at providers as a post-logout redirect URI). A path on baseUrl. Default '/'. */
  postLogoutRedirect?: string | undefined
  /** How long discovered metadata is kept before it is fetched again. Default 3600. */
  metadataTtlSeconds?: number | undefined
  /** Longest wait for any request to a provider. Default 5000. */
  timeoutMilliseconds?: number | undefined
}

export interface ResolvedOidcProvider {
  id: string
  name: string
  issuer: URL
  clientId: string
  clientSecret: string | null
  privateKeyJwk: Record<string, unknown> | null
  tokenEndpointAuthMethod: TokenEndpointAuthMethod
  scope: string
  idTokenSigningAlg: IdTokenSigningAlg
  allowSignup: boolean
  linkByEmail: boolean
  claims: { email: string; name: string }
  audiences: ReadonlySet<string>
  /** Discovery and JWKS caches of this gatehouse: one per provider, so the cache is as bounded as the configuration. */
  metadata: ProviderMetadata
}

export interface ResolvedOidcOptions {
  providers: ReadonlyMap<string, ResolvedOidcProvider>
  allowInsecureRequests: boolean
  loginPage: string
  redirects: RedirectPolicy
  stateLifetimeSeconds: number
  /** Absolute. */
  postLogoutRedirect: string
  timeoutMilliseconds: number
}

const providerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'")
const claimName = z.string().min(1).max(100)

const providerSchema = z
  .object({
    id: providerId,
    name: z.string().min(1).max(100),
    issuer: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1).max(512),
    clientSecret: z.string().min(1).max(1024).optional(),
    privateKeyJwk: z.looseObject({ kty: z.string(), d: z.string() }).optional(),
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']).optional(),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'must be a scope token')).max(50).optional(),
    idTokenSigningAlg: z.enum(idTokenSigningAlgs, { message: `must be one of ${idTokenSigningAlgs.join(', ')} ('none' and HS* are refused)` }).optional(),
    allowSignup: z.boolean().optional(),
    linkByEmail: z.boolean().optional(),
    claims: z.object({ email: claimName.optional(), name: claimName.optional() }).strict().optional(),
    additionalAudiences: z.array(z.string().min(1).max(512)).max(20).optional(),
  })
  .strict()

const oidcOptionsSchema = z
  .object({
    providers: z.array(providerSchema).max(50),
    allowInsecureRequests: z.boolean().optional(),
    loginPage: absolutePath.optional(),
    allowedRedirectOrigins: z.array(z.url({ protocol: /^https?$/ })).optional(),
    stateLifetimeSeconds: seconds.max(3600).optional(),
    postLogoutRedirect: absolutePath.optional(),
    metadataTtlSeconds: seconds.max(7 * 24 * 3600).optional(),
    timeoutMilliseconds: z.number().int().positive().max(60_000).optional(),
  })
  .strict()

function chooseAuthMethod(provider: OidcProviderOptions): TokenEndpointAuthMethod {
  if (provider.tokenEndpointAuthMethod !== undefined) return provider.tokenEndpointAuthMethod
  return provider.clientSecret === undefined && provider.privateKeyJwk !== undefined ? 'private_key_jwt' : 'client_secret_basic'
}

/** Problems the schema cannot see: ids must be unique, each auth method needs its credential, http needs the opt-in. */
function checkOidcOptions(options: OidcOptions, development: boolean): string[] {
  const problems: string[] = []
  const ids = new Set<string>()
  if (options.allowInsecureRequests === true && !development) {
    problems.push('oidc.allowInsecureRequests: is for loopback test providers and is refused with NODE_ENV=production')
  }
  for (const [index, provider] of options.providers.entries()) {
    const at = `oidc.providers.${index}`
    if (ids.has(provider.id)) problems.push(`${at}.id: '${provider.id}' is used twice`)
    ids.add(provider.id)
    const method = chooseAuthMethod(provider)
    if (method === 'private_key_jwt' && provider.privateKeyJwk === undefined) problems.push(`${at}.privateKeyJwk: is required for private_key_jwt`)
    if (method !== 'private_key_jwt' && provider.clientSecret === undefined) problems.push(`${at}.clientSecret: is required for ${method}`)
    if (new URL(provider.issuer).protocol === 'http:' && options.allowInsecureRequests !== true) {
      problems.push(`${at}.issuer: is http; only oidc.allowInsecureRequests (loopback tests) allows that`)
    }
  }
  return problems
}

function resolveProvider(provider: OidcProviderOptions, metadataTtlSeconds: number): ResolvedOidcProvider {
  const scopes = new Set(['openid', ...(provider.scopes ?? ['email', 'profile'])])
  return {
    id: provider.id,
    name: provider.name,
    issuer: new URL(provider.issuer),
    clientId: provider.clientId,
    clientSecret: provider.clientSecret ?? null,
    privateKeyJwk: provider.privateKeyJwk ?? null,
    tokenEndpointAuthMethod: chooseAuthMethod(provider),
    scope: [...scopes].join(' '),
    idTokenSigningAlg: provider.idTokenSigningAlg ?? 'RS256',
    allowSignup: provider.allowSignup ?? true,
    linkByEmail: provider.linkByEmail ?? false,
    claims: { email: provider.claims?.email ?? 'email', name: provider.claims?.name ?? 'name' },
    audiences: new Set([provider.clientId, ...(provider.additionalAudiences ?? [])]),
    metadata: createProviderMetadata(metadataTtlSeconds),
  }
}

/** `createGatehouse({ oidc })`, resolved: read with `oidcOptions.of(core)`. */
export const oidcOptions = defineFeatureOptions('oidc', oidcOptionsSchema, (input: OidcOptions | undefined, base): ResolvedOidcOptions => {
  const options: OidcOptions = input ?? { providers: [] }
  const problems = checkOidcOptions(options, base.development)
  if (problems.length > 0) throw new ConfigError(problems)
  const metadataTtlSeconds = options.metadataTtlSeconds ?? 3600
  const origins = [base.baseUrl.origin, ...(options.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin)]
  return {
    providers: new Map(options.providers.map((provider) => [provider.id, resolveProvider(provider, metadataTtlSeconds)])),
    allowInsecureRequests: options.allowInsecureRequests ?? false,
    loginPage: options.loginPage ?? '/',
    redirects: { baseUrl: base.baseUrl, allowedRedirectOrigins: new Set(origins) },
    stateLifetimeSeconds: options.stateLifetimeSeconds ?? 600,
    postLogoutRedirect: new URL(options.postLogoutRedirect ?? '/', base.baseUrl.origin).href,
    timeoutMilliseconds: options.timeoutMilliseconds ?? 5000,
  }
})
