import { z } from 'zod'

/** `createGatehouse({ tokens })`: API tokens, access clients and the headers that carry them. */
export interface TokenOptions {
  /** The scopes the host's guards check (`requireAuth(gate, { scopes })`). Others are refused with 400. Default none. */
  scopes?: string[] | undefined
  /** Scopes a token gets when its creator names none. Default: every scope in `scopes`. */
  defaultScopes?: string[] | undefined
  /** The scope a token needs to manage tokens and access clients, and to call any unsafe auth route. Always known. Default 'tokens:write'. */
  manageScope?: string | undefined
  /** Longest lifetime of an API token; also the lifetime of one created without `expiresInSeconds`. Default: no limit. */
  maxLifetimeSeconds?: number | undefined
  /** Most API tokens, and most access clients, one user may hold. Default 100. */
  maxPerUser?: number | undefined
  /** lastUsedAt is written at most once per this interval per token (no store write per request). Default 60. */
  lastUsedIntervalSeconds?: number | undefined
  /** Whether changing or resetting a password revokes the user's API tokens and access clients. Default true. */
  revokeOnPasswordChange?: boolean | undefined
  /**
   * Whether revoking an API token (apiTokenRevoke, `gate.tokens.revoke`) expires it and keeps it
   * listed with `expired: true` instead of deleting it (Semaphore's "Expires API token"). Its
   * secret is refused at once either way; revoking it again answers as for a live one. Default false.
   */
  revokeKeepsListed?: boolean | undefined
  /** Header that carries an API token (Pupil Cloud uses 'api_key'). Default 'X-API-Key'. */
  apiKeyHeader?: string | undefined
  /** Header that carries an access-client token (Cyclos). Default 'Access-Client-Token'. */
  accessClientHeader?: string | undefined
  /**
   * Whether login also takes `<api token>:api_token` as Basic credentials (Toggl) and starts a
   * session for the token's user. Only a token holding the manage scope may (a narrower one would
   * widen into a session's every scope). Default false.
   */
  basicLogin?: boolean | undefined
  /** Whether `apiTokenCreate` refuses a body without `name` (400) instead of naming the token 'API token'. Default false. */
  requireName?: boolean | undefined
}

export interface ResolvedTokenOptions {
  scopes: readonly string[]
  /** `scopes` and `manageScope`: what a token may be given. */
  knownScopes: ReadonlySet<string>
  defaultScopes: readonly string[]
  manageScope: string
  maxLifetimeSeconds: number | null
  maxPerUser: number
  lastUsedIntervalSeconds: number
  revokeOnPasswordChange: boolean
  revokeKeepsListed: boolean
  /** Lower-cased, as header readers are asked. */
  apiKeyHeader: string
  accessClientHeader: string
  basicLogin: boolean
  requireName: boolean
}

const scope = z.string().regex(/^[\x21-\x7e]{1,100}$/, 'must be 1-100 visible ASCII characters without spaces')
// RFC 9110 token characters; these two would shadow credentials read elsewhere.
export const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, 'must be an HTTP header name')
  .refine((name) => !['authorization', 'cookie'].includes(name.toLowerCase()), 'must not be Authorization or Cookie')

export const tokenOptionsSchema = z
  .object({
    scopes: z.array(scope).max(200),
    defaultScopes: z.array(scope).max(200),
    manageScope: scope,
    maxLifetimeSeconds: z.number().int().positive(),
    maxPerUser: z.number().int().min(1).max(10_000),
    lastUsedIntervalSeconds: z.number().int().nonnegative(),
    revokeOnPasswordChange: z.boolean(),
    revokeKeepsListed: z.boolean(),
    apiKeyHeader: headerName,
    accessClientHeader: headerName,
    basicLogin: z.boolean(),
    requireName: z.boolean(),
  })
  .partial()
  .strict()
  .superRefine((options, ctx) => {
    const known = new Set([...(options.scopes ?? []), options.manageScope ?? 'tokens:write'])
    for (const name of options.defaultScopes ?? []) {
      if (!known.has(name)) ctx.addIssue({ code: 'custom', path: ['defaultScopes'], message: `'${name}' is not in scopes` })
    }
    const apiKey = (options.apiKeyHeader ?? 'x-api-key').toLowerCase()
    if (apiKey === (options.accessClientHeader ?? 'access-client-token').toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['accessClientHeader'], message: 'must differ from apiKeyHeader' })
    }
  })

/** Defaults for options already checked by `tokenOptionsSchema`. */
export function resolveTokenOptions(options: TokenOptions = {}): ResolvedTokenOptions {
  const scopes = [...new Set(options.scopes ?? [])]
  const manageScope = options.manageScope ?? 'tokens:write'
  return {
    scopes,
    knownScopes: new Set([...scopes, manageScope]),
    defaultScopes: [...new Set(options.defaultScopes ?? scopes)],
    manageScope,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? null,
    maxPerUser: options.maxPerUser ?? 100,
    lastUsedIntervalSeconds: options.lastUsedIntervalSeconds ?? 60,
    revokeOnPasswordChange: options.revokeOnPasswordChange ?? true,
    revokeKeepsListed: options.revokeKeepsListed ?? false,
    apiKeyHeader: (options.apiKeyHeader ?? 'X-API-Key').toLowerCase(),
    accessClientHeader: (options.accessClientHeader ?? 'Access-Client-Token').toLowerCase(),
    basicLogin: options.basicLogin ?? false,
    requireName: options.requireName ?? false,
  }
}
