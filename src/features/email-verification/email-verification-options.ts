import { z } from 'zod'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { warnIfSenderMissing } from '../../config/startup-warnings.js'
import { ConfigError } from '../../errors/config-error.js'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ emailVerification })`. Verification links need `delivery.email`. */
export interface EmailVerificationOptions {
  /** Default true: on whenever `delivery.email` is set. */
  enabled?: boolean | undefined
  /** Mail a verification link after each password sign-up. Default: the value of `required`. */
  sendOnSignUp?: boolean | undefined
  /**
   * Users whose e-mail is not verified may only verify it, ask for a new link and sign out: every
   * other route and requireAuth answer 403 EMAIL_NOT_VERIFIED, and login answers `{ pending: true,
   * emailVerificationRequired: true }`. Default false. Needs `delivery.email`.
   */
  required?: boolean | undefined
  /** How long a link works. Default 86400 (24 hours); at most 7 days. */
  ttlSeconds?: number | undefined
  /** Where a browser lands after verifying (a path on baseUrl). Default '/'. */
  redirectTo?: string | undefined
  rateLimits?: {
    /** Links per account (verification and e-mail change together). Default 5 per hour. */
    perUser?: RateLimitRule | undefined
    /** Links per client IP. Default 30 per hour. */
    perIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedEmailVerificationOptions {
  enabled: boolean
  sendOnSignUp: boolean
  required: boolean
  ttlSeconds: number
  /** Absolute URL on baseUrl. */
  redirectTo: string
  rateLimits: { perUser: RateLimitRule; perIp: RateLimitRule }
}

const emailVerificationOptionsSchema = z
  .object({
    enabled: z.boolean(),
    sendOnSignUp: z.boolean(),
    required: z.boolean(),
    ttlSeconds: seconds.max(7 * 24 * 3600),
    redirectTo: absolutePath,
    rateLimits: z.object({ perUser: rateLimitRule, perIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

/** `createGatehouse({ emailVerification })`, resolved: read with `emailVerificationOptions.of(core)`. */
export const emailVerificationOptions = defineFeatureOptions(
  'emailVerification',
  emailVerificationOptionsSchema,
  (input: EmailVerificationOptions | undefined, base): ResolvedEmailVerificationOptions => {
    const enabled = input?.enabled ?? true
    const required = input?.required ?? false
    // Nobody could ever get past a required verification without a way to mail the link.
    if (required && (!enabled || base.delivery.email === null)) {
      throw new ConfigError(['emailVerification.required: needs emailVerification enabled and delivery.email (a Mailer) to send the links'])
    }
    warnIfSenderMissing('emailVerification', input, base, base.delivery.email !== null)
    return {
      enabled,
      sendOnSignUp: input?.sendOnSignUp ?? required,
      required,
      ttlSeconds: input?.ttlSeconds ?? 24 * 3600,
      redirectTo: new URL(input?.redirectTo ?? '/', base.baseUrl).href,
      rateLimits: {
        perUser: input?.rateLimits?.perUser ?? { max: 5, windowSeconds: 3600 },
        perIp: input?.rateLimits?.perIp ?? { max: 30, windowSeconds: 3600 },
      },
    }
  },
)
