import { z } from 'zod'
import { defineFeatureOptions } from '../feature-options.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'

/** HMAC algorithms RFC 6238 allows. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512'

/** `secondFactor` in GatehouseOptions: TOTP, recovery codes, throttling and the pending session. */
export interface SecondFactorOptions {
  totp?: {
    /** Shown in authenticator apps next to the account. Default: the host name of `baseUrl`. */
    issuer?: string | undefined
    /** Default 'sha1', the one every authenticator app supports; 'sha256' and 'sha512' fit fewer apps. */
    algorithm?: TotpAlgorithm | undefined
    /** Digits per code, 6 to 8. Default 6. */
    digits?: number | undefined
    /** Length of a time step. Default 30. */
    periodSeconds?: number | undefined
    /** Steps accepted on each side of the current one, for clock skew. Default 1. */
    windowSteps?: number | undefined
  } | undefined
  /** Recovery codes issued at once. Default 10. */
  recoveryCodeCount?: number | undefined
  /** Failed attempts per user and factor kind before that factor answers 429. Default 5 per 15 minutes; success resets it. */
  attemptLimit?: RateLimitRule | undefined
  /** How long a session waiting for its second factor lives. Default 600. */
  pendingLifetimeSeconds?: number | undefined
  /**
   * Let users who have a second factor complete the step with a code sent by otpSend (needs
   * `delivery`). Default false: it makes the mailbox or phone as good as the authenticator app.
   */
  otp?: boolean | undefined
  /**
   * The host's page where a browser flow (a magic link, later OIDC or SAML) lands when the new
   * session still needs its second factor; the original target comes along as `?returnTo=`.
   * A path on baseUrl's origin. Default '/'.
   */
  page?: string | undefined
  /**
   * Completing the second factor with secondFactorVerify keeps the session's token instead of
   * rotating it (Cyclos: `POST /auth/session/secondary-password` answers 204, with no body to
   * carry a new token). Default false: rotation makes a token seen before the step worthless.
   */
  keepSessionToken?: boolean | undefined
}

export interface ResolvedTotpOptions {
  issuer: string
  algorithm: TotpAlgorithm
  digits: number
  periodSeconds: number
  windowSteps: number
}

export interface ResolvedSecondFactorOptions {
  totp: ResolvedTotpOptions
  recoveryCodeCount: number
  attemptLimit: RateLimitRule
  pendingLifetimeSeconds: number
  otp: boolean
  /** Absolute URL of `page`. */
  pageUrl: string
  keepSessionToken: boolean
}

const secondFactorOptionsSchema = z
  .object({
    totp: z
      .object({
        issuer: z.string().trim().min(1).max(100).refine((issuer) => !issuer.includes(':'), 'must not contain a colon'),
        algorithm: z.enum(['sha1', 'sha256', 'sha512']),
        digits: z.number().int().min(6).max(8),
        periodSeconds: z.number().int().min(15).max(300),
        windowSteps: z.number().int().min(0).max(10),
      })
      .partial()
      .strict(),
    recoveryCodeCount: z.number().int().min(1).max(50),
    attemptLimit: rateLimitRule,
    pendingLifetimeSeconds: seconds,
    otp: z.boolean(),
    page: absolutePath,
    keepSessionToken: z.boolean(),
  })
  .partial()
  .strict()

/** Defaults for every field; `options` was validated by the schema above. */
function resolveSecondFactorOptions(options: SecondFactorOptions | undefined, baseUrl: URL): ResolvedSecondFactorOptions {
  const totp = options?.totp
  return {
    totp: {
      issuer: totp?.issuer?.trim() ?? baseUrl.hostname,
      algorithm: totp?.algorithm ?? 'sha1',
      digits: totp?.digits ?? 6,
      periodSeconds: totp?.periodSeconds ?? 30,
      windowSteps: totp?.windowSteps ?? 1,
    },
    recoveryCodeCount: options?.recoveryCodeCount ?? 10,
    attemptLimit: options?.attemptLimit ?? { max: 5, windowSeconds: 900 },
    pendingLifetimeSeconds: options?.pendingLifetimeSeconds ?? 600,
    otp: options?.otp ?? false,
    pageUrl: new URL(options?.page ?? '/', baseUrl.origin).href,
    keepSessionToken: options?.keepSessionToken ?? false,
  }
}

/** `createGatehouse({ secondFactor })`, resolved: read with `secondFactorOptions.of(core)`. */
export const secondFactorOptions = defineFeatureOptions('secondFactor', secondFactorOptionsSchema, (input: SecondFactorOptions | undefined, base) => resolveSecondFactorOptions(input, base.baseUrl))
