import { z } from 'zod'
import { type Clock, type GenerateId, type Random, systemClock, systemRandom } from './clock.js'
import { type Argon2Parameters, owaspArgon2Parameters } from '../crypto/password-hasher.js'
import { type DeliveryOptions, type ResolvedDelivery, deliveryOptionsSchema, resolveDeliveryOptions } from '../delivery/delivery-options.js'
import { pickDefinedFields } from '../storage/pick-defined-fields.js'
import { type FormOptions, type ResolvedFormTargets, compileFormTargets, formOptionsSchema } from './form-options.js'
import { type AuthenticateOptions, type ResolvedAuthenticateOptions, authenticateOptionsSchema, resolveAuthenticateOptions } from './authenticate-options.js'
import { cookieName, functionOption, functionWith, rateLimitRule, seconds } from './option-schemas.js'
import type { CredentialRequest } from '../http/types.js'
import type { RouteOptions } from '../http/route-options.js'
import type { SecurityEventListener } from '../features/audit/security-event.js'
import { type Logger, type ResolvedLogger, resolveLogger } from './logger.js'
import type { RateLimitRule } from './rate-limit-rule.js'
import { processLocalBroadcast } from '../storage/cache-broadcast.js'
import type { CacheBroadcast, Storage } from '../storage/ports.js'
import { type ResolvedTokenOptions, type TokenOptions, resolveTokenOptions, tokenOptionsSchema } from './token-options.js'
import { type ProfileFieldOption, type ResolvedProfileFields, profileFieldsSchema, resolveProfileFields } from './profile-field-options.js'

/**
 * The options of the core, without those of each feature (`magicLinks`, `otp`, ...), which each
 * feature declares itself. Every field is documented in the README's option table.
 */
export interface BaseOptions<RouteName extends string = string> extends RouteOptions<RouteName> {
  /**
   * At least 32 characters. Derives the keys of secrets at rest. A list rotates it: the first is
   * current (everything new is sealed with it), the others are still read. Required outside
   * NODE_ENV=test/development.
   */
  secret?: string | string[] | undefined
  /** Public origin of the host app, e.g. 'https://app.example.com'. https turns on Secure and __Host- cookies. */
  baseUrl: string
  /**
   * The stores. Omitted: every store in memory. Given: it must hold every store the installed
   * features use (a ConfigError names the missing ones); keep one in memory on purpose with
   * `{ ...postgresStorage(pool), limits: memoryStorage().limits }`.
   */
  storage?: Partial<Storage> | undefined
  clock?: Clock | undefined
  random?: Random | undefined
  /** Ids of new users, tokens and workspaces, when the host assigns them (README, options table). Default: 128 random bits, base64url. */
  generateId?: GenerateId | undefined
  /** Origins besides baseUrl's that may send cookie-authenticated unsafe requests (a separate front-end). */
  trustedOrigins?: string[] | undefined
  sessions?: {
    /** A session unused this long ends. Default 7 days. */
    idleTimeoutSeconds?: number | undefined
    /** A session ends this long after it began, used or not. Default 30 days. */
    absoluteTimeoutSeconds?: number | undefined
    /** lastSeenAt is written at most once per this interval (no store write per request). Default 60. */
    refreshIntervalSeconds?: number | undefined
    /** Logout without a live session or API token answers 401 UNAUTHENTICATED instead of 204 (Semaphore). Default false. */
    logoutRequiresCredentials?: boolean | undefined
  } | undefined
  /**
   * A near cache of validated sessions and API tokens with their users, in process (README,
   * "Session cache"). Off by default. Behind more than one process give `broadcast`
   * (redisCacheBroadcast, postgresCacheBroadcast), so a revocation anywhere drops the entry everywhere.
   */
  sessionCache?: SessionCacheOptions | undefined
  cookie?: {
    /** Default 'gatehouse_session'; on https it is sent as '__Host-' + name unless `domain` is set. */
    name?: string | undefined
    /** Share the cookie with subdomains. Disables the __Host- prefix. */
    domain?: string | undefined
  } | undefined
  passwords?: {
    /** Default 8. */
    minLength?: number | undefined
    /** Default 128. */
    maxLength?: number | undefined
    /** argon2id parameters. Default OWASP: memoryCost 19456 KiB, timeCost 2, parallelism 1. */
    hashing?: { [K in keyof Argon2Parameters]?: Argon2Parameters[K] | undefined } | undefined
    /** Refuse new passwords found in known breaches (README, "Breached passwords"). Off by default. */
    breachCheck?: BreachCheckOptions | undefined
    /**
     * Login names that are not e-mail addresses (user names the host keeps): given one, trimmed,
     * answers the e-mail of its account, or null when there is none. The `login` route (JSON and
     * Basic) then takes either. Default: e-mail addresses only.
     */
    resolveLoginName?: ((name: string) => string | null | Promise<string | null>) | undefined
  } | undefined
  rateLimits?: {
    /** Failed logins per account. Default 5 per 15 minutes; a successful login resets it. */
    loginPerAccount?: RateLimitRule | undefined
    /** Failed logins per client IP. Default 50 per 15 minutes. */
    loginPerIp?: RateLimitRule | undefined
    /** Failed logins per network: an IPv4 /24 or an IPv6 /64, against stuffing spread over neighbouring addresses. Default 150 per 15 minutes. */
    loginPerNetwork?: RateLimitRule | undefined
    /** Sign-ups per client IP. Default 20 per hour. */
    signupPerIp?: RateLimitRule | undefined
    /** Wrong current passwords per user (password change, e-mail change, unregister). Default 5 per 15 minutes; a right one resets it. */
    passwordConfirmPerUser?: RateLimitRule | undefined
  } | undefined
  /** Largest request body the auth routes read. Default 65536 bytes; larger gets 413. */
  maxBodyBytes?: number | undefined
  /** Ask a human check (a captcha) of logins to an account that failed often (README, "Security behaviour"). */
  loginChallenge?: LoginChallengeOptions | undefined
  /** Hears every security event (README, "Audit events"); what it throws or rejects with never fails a request. */
  onEvent?: SecurityEventListener | undefined
  /** Whether POST /signup is open. Default true. */
  signupEnabled?: boolean | undefined
  /** Whether POST /signup signs the new user in. Default true; false answers `{ user }` with no session (the client logs in next). */
  signupStartsSession?: boolean | undefined
  /** Host-declared fields kept on each user and answered as `user.profile` (README, "Profile fields"). */
  profileFields?: Record<string, ProfileFieldOption> | undefined
  /** Where unexpected errors (`error`) and risky set-ups (`warn`, once each) are reported. Default: console, the message only. */
  logger?: Logger | undefined
  /** API tokens and access clients: scopes, lifetimes, headers (README, "API tokens and access clients"). */
  tokens?: TokenOptions | undefined
  /** More credential transports: a session-token header, a split session token, a workspace header (README, "Reproducing an existing API"). */
  authenticate?: AuthenticateOptions | undefined
  /** How links and codes reach people: `{ email?, sms?, templates?, defaultLocale?, phoneNumberOf? }`. */
  delivery?: DeliveryOptions | undefined
  /** Browser form posts to login, signup, magic-link and password-reset answered with a 303 to these pages (README, "Browser forms"). */
  forms?: FormOptions | undefined
}

/** `sessionCache`: validated sessions and tokens kept in process, dropped on every process when revoked. */
export interface SessionCacheOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number
  /** Longest an entry is served before it is read from the store again; at most 3600 and below sessions.idleTimeoutSeconds. */
  ttlSeconds: number
  /** Tells the other processes what to drop; without it invalidation reaches this process only. While it is down the cache serves nothing. */
  broadcast?: CacheBroadcast | undefined
}

/** `passwords.breachCheck`: a k-anonymity range API in the Have I Been Pwned protocol. */
export interface BreachCheckOptions {
  /** What to do when the API cannot be asked in time: true accepts the password unchecked, false answers 503. */
  failOpen: boolean
  /** The range endpoint; the 5-character SHA-1 prefix is appended. Default 'https://api.pwnedpasswords.com/range/'. */
  rangeUrl?: string | undefined
  /** Longest wait for the API. Default 1500. */
  timeoutMilliseconds?: number | undefined
  /** Breaches a password must appear in to be refused. Default 1. */
  minBreachCount?: number | undefined
}

/** `loginChallenge`: a human check (a captcha) a login must pass once its account has failed often. */
export interface LoginChallengeOptions {
  /**
   * True when the request carries a solved challenge (read your widget's token from a header or
   * `await req.readBody()`, when the request has a body). Throwing counts as false.
   */
  verifyHuman: (req: ChallengeRequest) => boolean | Promise<boolean>
  /** Failed logins of the account in the `rateLimits.loginPerAccount` window after which the check is asked. Default 3. */
  afterFailures?: number | undefined
}

/** What verifyHuman sees of a login: its headers and address, and its body when it came with one (not for Basic credentials on a guarded route). */
export interface ChallengeRequest extends CredentialRequest {
  readBody?: (() => Promise<unknown>) | undefined
}

export interface ResolvedConfig {
  /** The current secret: new values are sealed with it. */
  secret: string
  /** Retired secrets, newest first: sealed values are still opened with them, then sealed again. */
  previousSecrets: string[]
  baseUrl: URL
  secure: boolean
  /** NODE_ENV is anything but production (unset too, as Express reads it): refusals get hints and a warning in the log. */
  development: boolean
  clock: Clock
  random: Random
  generateId: GenerateId | null
  allowedOrigins: ReadonlySet<string>
  sessions: { idleTimeoutSeconds: number; absoluteTimeoutSeconds: number; refreshIntervalSeconds: number; logoutRequiresCredentials: boolean }
  sessionCache: { maxEntries: number; ttlSeconds: number; broadcast: CacheBroadcast } | null
  cookie: { name: string; domain: string | undefined }
  passwords: {
    minLength: number
    maxLength: number
    hashing: Argon2Parameters
    breachCheck: Required<BreachCheckOptions> | null
    resolveLoginName: ((name: string) => string | null | Promise<string | null>) | null
  }
  rateLimits: {
    loginPerAccount: RateLimitRule
    loginPerIp: RateLimitRule
    loginPerNetwork: RateLimitRule
    signupPerIp: RateLimitRule
    passwordConfirmPerUser: RateLimitRule
  }
  loginChallenge: Required<LoginChallengeOptions> | null
  onEvent: SecurityEventListener | null
  maxBodyBytes: number
  signupEnabled: boolean
  signupStartsSession: boolean
  profileFields: ResolvedProfileFields
  logger: ResolvedLogger
  tokens: ResolvedTokenOptions
  authenticate: ResolvedAuthenticateOptions
  delivery: ResolvedDelivery
  forms: ResolvedFormTargets
}

const secretText = z.string().min(32, 'must be at least 32 characters')

/** The schema of every base option; resolve-options.ts adds each feature's key and makes it strict. */
export const baseOptionsShape = {
    secret: z
      .union([secretText, z.array(secretText).min(1, 'must list at least the current secret').max(8, 'keep at most 8 secrets')])
      .optional(),
    baseUrl: z.url({ protocol: /^https?$/ }),
    storage: z.record(z.string(), z.unknown()).optional(),
    clock: functionWith('now').optional(),
    random: functionWith('bytes').optional(),
    generateId: functionOption.optional(),
    trustedOrigins: z.array(z.url({ protocol: /^https?$/ })).optional(),
    sessions: z
      .object({
        idleTimeoutSeconds: seconds,
        absoluteTimeoutSeconds: seconds,
        refreshIntervalSeconds: z.number().int().nonnegative(),
        logoutRequiresCredentials: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
    sessionCache: z
      .object({
        maxEntries: z.number().int().min(1).max(10_000_000),
        ttlSeconds: z.number().positive().max(3600),
        broadcast: functionWith('publish')
          .refine((broadcast) => typeof (broadcast as { subscribe?: unknown }).subscribe === 'function', 'must also have a subscribe() method')
          .optional(),
      })
      .strict()
      .optional(),
    cookie: z.object({ name: cookieName, domain: z.string().min(1) }).partial().strict().optional(),
    passwords: z
      .object({
        minLength: z.number().int().min(1).max(1024),
        maxLength: z.number().int().min(1).max(4096),
        hashing: z
          .object({ memoryCost: z.number().int().min(8), timeCost: z.number().int().min(1), parallelism: z.number().int().min(1).max(16) })
          .partial()
          .strict(),
        breachCheck: z
          .object({
            failOpen: z.boolean({ error: 'must be true or false: whether a password is accepted unchecked when the API fails' }),
            rangeUrl: z.url({ protocol: /^https?$/ }).optional(),
            timeoutMilliseconds: z.number().int().min(50).max(30_000).optional(),
            minBreachCount: z.number().int().min(1).optional(),
          })
          .strict(),
        resolveLoginName: functionOption,
      })
      .partial()
      .strict()
      .optional(),
    rateLimits: z
      .object({ loginPerAccount: rateLimitRule, loginPerIp: rateLimitRule, loginPerNetwork: rateLimitRule, signupPerIp: rateLimitRule, passwordConfirmPerUser: rateLimitRule })
      .partial()
      .strict()
      .optional(),
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).optional(),
    signupEnabled: z.boolean().optional(),
    signupStartsSession: z.boolean().optional(),
    profileFields: profileFieldsSchema,
    logger: functionWith('error')
      .refine((logger) => ['function', 'undefined'].includes(typeof (logger as { warn?: unknown }).warn), 'warn, when given, must be a function')
      .optional(),
    onEvent: functionOption.optional(),
    loginChallenge: z
      .object({ verifyHuman: functionOption, afterFailures: z.number().int().min(0).max(1000).optional() })
      .strict()
      .optional(),
    tokens: tokenOptionsSchema.optional(),
    authenticate: authenticateOptionsSchema.optional(),
    delivery: deliveryOptionsSchema.optional(),
    forms: formOptionsSchema.optional(),
    mountPath: z.string().optional(),
    paths: z.record(z.string(), z.unknown()).optional(),
    disable: z.array(z.string()).optional(),
    only: z.array(z.string()).optional(),
    respond: z.record(z.string(), z.unknown()).optional(),
    shape: z.record(z.string(), z.unknown()).optional(),
    responses: z.unknown().optional(),
}

/** Problems the schema cannot see: fields that must agree with each other, and the secret outside development. */
export function checkBaseOptions(options: BaseOptions, environment: string | undefined): string[] {
  const problems: string[] = []
  if (options.secret === undefined && !allowsGeneratedSecret(environment)) {
    problems.push('secret: is required (at least 32 characters) unless NODE_ENV is test or development')
  }
  const passwords = options.passwords
  if ((passwords?.minLength ?? 8) > (passwords?.maxLength ?? 128)) problems.push('passwords: minLength is greater than maxLength')
  const sessions = options.sessions
  if ((sessions?.idleTimeoutSeconds ?? 0) > (sessions?.absoluteTimeoutSeconds ?? Number.POSITIVE_INFINITY)) {
    problems.push('sessions: idleTimeoutSeconds is greater than absoluteTimeoutSeconds')
  }
  if ((options.sessionCache?.ttlSeconds ?? 0) >= (sessions?.idleTimeoutSeconds ?? 7 * 24 * 3600)) {
    problems.push('sessionCache: ttlSeconds must be below sessions.idleTimeoutSeconds')
  }
  problems.push(...checkFormOptions(options))
  return problems
}

/** Only an explicit test or development environment may run on a random secret; unset is treated as production here. */
function allowsGeneratedSecret(environment: string | undefined): boolean {
  return environment === 'test' || environment === 'development'
}

function resolveBreachCheck(options: BreachCheckOptions | undefined): Required<BreachCheckOptions> | null {
  if (options === undefined) return null
  const rangeUrl = options.rangeUrl ?? 'https://api.pwnedpasswords.com/range/'
  return {
    failOpen: options.failOpen,
    rangeUrl: rangeUrl.endsWith('/') ? rangeUrl : `${rangeUrl}/`,
    timeoutMilliseconds: options.timeoutMilliseconds ?? 1500,
    minBreachCount: options.minBreachCount ?? 1,
  }
}

/** baseUrl's origin and trustedOrigins: where cookie-authenticated unsafe requests may come from, and form flows may land. */
function readAllowedOrigins(baseUrl: URL, trustedOrigins: readonly string[] | undefined): Set<string> {
  return new Set([baseUrl.origin, ...(trustedOrigins ?? []).map((origin) => new URL(origin).origin)])
}

/** Form pages that could leave the allowed origins; only once the fields they depend on passed their schemas. */
function checkFormOptions(options: BaseOptions): string[] {
  if (options.forms === undefined || !formOptionsSchema.safeParse(options.forms).success) return []
  if (!baseOptionsShape.baseUrl.safeParse(options.baseUrl).success || !baseOptionsShape.trustedOrigins.safeParse(options.trustedOrigins).success) return []
  const baseUrl = new URL(options.baseUrl)
  return compileFormTargets(options.forms, { baseUrl, allowedRedirectOrigins: readAllowedOrigins(baseUrl, options.trustedOrigins) }).problems
}

/** Fills in the defaults of options that passed their schema and checkBaseOptions. */
export function resolveBaseConfig(options: BaseOptions, environment: string | undefined): ResolvedConfig {
  const { passwords, sessions } = options

  const random = options.random ?? systemRandom
  const secrets = typeof options.secret === 'string' ? [options.secret] : (options.secret ?? [])
  const baseUrl = new URL(options.baseUrl)
  const secure = baseUrl.protocol === 'https:'
  const name = options.cookie?.name ?? 'gatehouse_session'
  const domain = options.cookie?.domain
  const allowedOrigins = readAllowedOrigins(baseUrl, options.trustedOrigins)
  return {
    // In test/development a missing secret is random per process: sessions survive, derived keys do not survive restarts.
    secret: secrets[0] ?? Buffer.from(random.bytes(32)).toString('base64url'),
    previousSecrets: secrets.slice(1),
    baseUrl,
    secure,
    development: environment !== 'production',
    clock: options.clock ?? systemClock,
    random,
    generateId: options.generateId ?? null,
    allowedOrigins,
    sessions: {
      idleTimeoutSeconds: sessions?.idleTimeoutSeconds ?? 7 * 24 * 3600,
      absoluteTimeoutSeconds: sessions?.absoluteTimeoutSeconds ?? 30 * 24 * 3600,
      refreshIntervalSeconds: sessions?.refreshIntervalSeconds ?? 60,
      logoutRequiresCredentials: sessions?.logoutRequiresCredentials ?? false,
    },
    sessionCache:
      options.sessionCache === undefined
        ? null
        : {
            maxEntries: options.sessionCache.maxEntries,
            ttlSeconds: options.sessionCache.ttlSeconds,
            broadcast: options.sessionCache.broadcast ?? processLocalBroadcast,
          },
    cookie: { name: secure && domain === undefined ? `__Host-${name}` : name, domain },
    passwords: {
      minLength: passwords?.minLength ?? 8,
      maxLength: passwords?.maxLength ?? 128,
      // A field given as undefined keeps its default instead of overwriting it.
      hashing: { ...owaspArgon2Parameters, ...pickDefinedFields(passwords?.hashing ?? {}) },
      breachCheck: resolveBreachCheck(passwords?.breachCheck),
      resolveLoginName: passwords?.resolveLoginName ?? null,
    },
    rateLimits: {
      loginPerAccount: options.rateLimits?.loginPerAccount ?? { max: 5, windowSeconds: 900 },
      loginPerIp: options.rateLimits?.loginPerIp ?? { max: 50, windowSeconds: 900 },
      loginPerNetwork: options.rateLimits?.loginPerNetwork ?? { max: 150, windowSeconds: 900 },
      signupPerIp: options.rateLimits?.signupPerIp ?? { max: 20, windowSeconds: 3600 },
      passwordConfirmPerUser: options.rateLimits?.passwordConfirmPerUser ?? { max: 5, windowSeconds: 900 },
    },
    maxBodyBytes: options.maxBodyBytes ?? 65536,
    signupEnabled: options.signupEnabled ?? true,
    signupStartsSession: options.signupStartsSession ?? true,
    profileFields: resolveProfileFields(options.profileFields),
    loginChallenge:
      options.loginChallenge === undefined ? null : { verifyHuman: options.loginChallenge.verifyHuman, afterFailures: options.loginChallenge.afterFailures ?? 3 },
    onEvent: options.onEvent ?? null,
    logger: resolveLogger(options.logger),
    tokens: resolveTokenOptions(options.tokens),
    authenticate: resolveAuthenticateOptions(options.authenticate),
    delivery: resolveDeliveryOptions(options.delivery),
    forms: compileFormTargets(options.forms, { baseUrl, allowedRedirectOrigins: allowedOrigins }).targets,
  }
}
