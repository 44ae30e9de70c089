import type { JsonWebKey } from 'node:crypto'
import { z } from 'zod'
import { functionOption, seconds } from '../../config/option-schemas.js'
import { ConfigError } from '../../errors/config-error.js'
import type { PublicUser } from '../../http/auth-context.js'
import { defineFeatureOptions } from '../feature-options.js'
import { type FederationAlgorithm, type PublishedKey, type SigningKey, importPrivateJwk, importSharedSecret } from './federation-keys.js'

/** What a claims mapping gets besides the user: the workspace the token is for, when one was asked for. */
export interface FederationClaimsContext {
  audience: string
  workspace?: { id: string; name: string; role: string } | undefined
}

/** Maps the user (and workspace) to the token's own claims; `iss`, `sub`, `aud`, `iat`, `exp` and `jti` are set by gatehouse. */
export type FederationClaims = (user: PublicUser, ctx: FederationClaimsContext) => Record<string, unknown> | Promise<Record<string, unknown>>

/** One asymmetric key of an audience; the first without `retiredAt` signs. */
export interface FederationKeyOptions {
  privateJwk: JsonWebKey
  /** `kid` header and JWKS entry. Default: the key's RFC 7638 thumbprint. */
  keyId?: string
  /** When it stopped signing (ISO time or ms): it stays in the JWKS until tokens it signed have expired. */
  retiredAt?: string | number
}

interface AudienceCommon {
  /** The `aud` claim. Default: the audience's name. */
  audience?: string
  /** Token lifetime. Default 300. */
  lifetimeSeconds?: number
  /** The token's own claims. Default `{ email, name }`, plus `workspaceId` and `role` for a workspace. */
  claims?: FederationClaims
  /** Whether an API token (not only a full session) may get a token. Default false. */
  allowApiTokens?: boolean
}

export type FederationAudienceOptions =
  | (AudienceCommon & { algorithm: 'HS256'; secret: string; keyId?: string })
  | (AudienceCommon & { algorithm: 'ES256' | 'RS256' | 'EdDSA'; privateJwk: JsonWebKey; keyId?: string })
  | (AudienceCommon & { algorithm: 'ES256' | 'RS256' | 'EdDSA'; keys: FederationKeyOptions[] })

/** `createGatehouse({ federation })`: signed tokens (JWT) for third-party services. */
export interface FederationOptions {
  /** By name, the name being the route's `:audience`. */
  audiences?: Record<string, FederationAudienceOptions>
  /** The `iss` claim. Default: baseUrl's origin. */
  issuer?: string
  /** The audience the federatedToken route serves when its path has no `:audience` (a dedicated path such as Pupil Cloud's `/canny-sso`). */
  defaultAudience?: string
}

export interface ResolvedAudience {
  name: string
  audience: string
  algorithm: FederationAlgorithm
  signing: SigningKey
  /** Public keys for the JWKS route (none for HS256). */
  published: PublishedKey[]
  lifetimeSeconds: number
  claims: FederationClaims | undefined
  allowApiTokens: boolean
}

export interface ResolvedFederationOptions {
  audiences: ReadonlyMap<string, ResolvedAudience>
  issuer: string
  defaultAudience: string | undefined
}

const audienceName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower case letters, digits, _ or -')
const jwk = z.record(z.string(), z.unknown())
const common = {
  audience: z.string().min(1).max(200).optional(),
  lifetimeSeconds: seconds.max(24 * 3600).optional(),
  claims: functionOption.optional(),
  allowApiTokens: z.boolean().optional(),
}
const asymmetric = z.enum(['ES256', 'RS256', 'EdDSA'])
const audienceSchema = z.union([
  z.object({ ...common, algorithm: z.literal('HS256'), secret: z.string().min(32, 'must be at least 32 characters'), keyId: z.string().min(1).optional() }).strict(),
  z.object({ ...common, algorithm: asymmetric, privateJwk: jwk, keyId: z.string().min(1).optional() }).strict(),
  z
    .object({
      ...common,
      algorithm: asymmetric,
      keys: z
        .array(z.object({ privateJwk: jwk, keyId: z.string().min(1).optional(), retiredAt: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).optional() }).strict())
        .min(1),
    })
    .strict(),
])

const federationOptionsSchema = z
  .object({ audiences: z.record(audienceName, audienceSchema), issuer: z.string().min(1).max(200), defaultAudience: audienceName })
  .partial()
  .strict()

/** Imports every key once; the ConfigError names each audience whose keys do not fit. */
function resolveAudience(name: string, options: FederationAudienceOptions, problems: string[]): ResolvedAudience | undefined {
  const base = {
    name,
    audience: options.audience ?? name,
    algorithm: options.algorithm,
    lifetimeSeconds: options.lifetimeSeconds ?? 300,
    claims: options.claims,
    allowApiTokens: options.allowApiTokens ?? false,
  }
  if (options.algorithm === 'HS256') return { ...base, signing: importSharedSecret(options.secret, options.keyId ?? name), published: [] }
  const keys = 'keys' in options ? options.keys : [{ privateJwk: options.privateJwk, keyId: options.keyId }]
  const imported: { signing: SigningKey; published: PublishedKey }[] = []
  keys.forEach((key, index) => {
    try {
      const { signing, jwk: publicJwk } = importPrivateJwk(options.algorithm, key.privateJwk, key.keyId)
      const retiredAt = 'retiredAt' in key && key.retiredAt !== undefined ? new Date(key.retiredAt).getTime() : null
      imported.push({ signing, published: { jwk: publicJwk, retiredAt } })
    } catch (error) {
      problems.push(`federation.audiences.${name}.${'keys' in options ? `keys.${index}.` : ''}privateJwk: ${(error as Error).message}`)
    }
  })
  if (imported.length < keys.length) return undefined
  const current = imported.find((key) => key.published.retiredAt === null)
  if (current === undefined) {
    problems.push(`federation.audiences.${name}.keys: every key is retired; one must sign`)
    return undefined
  }
  const ids = imported.map((key) => key.signing.keyId)
  if (new Set(ids).size !== ids.length) problems.push(`federation.audiences.${name}.keys: two keys share a keyId`)
  return { ...base, signing: current.signing, published: imported.map((key) => key.published) }
}

function resolveFederationOptions(options: FederationOptions = {}, baseUrl: URL): ResolvedFederationOptions {
  const problems: string[] = []
  const audiences = new Map<string, ResolvedAudience>()
  for (const [name, audience] of Object.entries(options.audiences ?? {})) {
    const resolved = resolveAudience(name, audience, problems)
    if (resolved !== undefined) audiences.set(name, resolved)
  }
  if (options.defaultAudience !== undefined && options.audiences?.[options.defaultAudience] === undefined) {
    problems.push(`federation.defaultAudience: '${options.defaultAudience}' is not one of federation.audiences`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return { audiences, issuer: options.issuer ?? baseUrl.origin, defaultAudience: options.defaultAudience }
}

/** `createGatehouse({ federation })`, resolved: read with `federationOptions.of(core)`. */
export const federationOptions = defineFeatureOptions('federation', federationOptionsSchema, (input: FederationOptions | undefined, base) =>
  resolveFederationOptions(input, base.baseUrl),
)
