import { z } from 'zod'
import { warnIfSenderMissing } from '../../config/startup-warnings.js'
import { defineFeatureOptions } from '../feature-options.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { rateLimitRule, seconds } from '../../config/option-schemas.js'

/** `createGatehouse({ otp })`: one-time codes sent by e-mail or SMS (`delivery.email` / `delivery.sms`). */
export interface OtpOptions {
  /** How long a code works. Default 600 (10 minutes). */
  lifetimeSeconds?: number | undefined
  /** Wrong tries after which a code is dead. Default 5. */
  maxAttempts?: number | undefined
  rateLimits?: {
    /** Codes sent per user. Default 5 per 15 minutes. */
    perAddress?: RateLimitRule | undefined
    /** Codes sent per client IP. Default 30 per hour. */
    perIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedOtpOptions {
  lifetimeSeconds: number
  maxAttempts: number
  rateLimits: { perAddress: RateLimitRule; perIp: RateLimitRule }
}

const otpOptionsSchema = z
  .object({
    lifetimeSeconds: seconds.max(24 * 3600),
    maxAttempts: z.number().int().min(1).max(20),
    rateLimits: z.object({ perAddress: rateLimitRule, perIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

function resolveOtpOptions(options: OtpOptions = {}): ResolvedOtpOptions {
  return {
    lifetimeSeconds: options.lifetimeSeconds ?? 600,
    maxAttempts: options.maxAttempts ?? 5,
    rateLimits: {
      perAddress: options.rateLimits?.perAddress ?? { max: 5, windowSeconds: 900 },
      perIp: options.rateLimits?.perIp ?? { max: 30, windowSeconds: 3600 },
    },
  }
}

/** `createGatehouse({ otp })`, resolved: read with `otpOptions.of(core)`. */
export const otpOptions = defineFeatureOptions('otp', otpOptionsSchema, (input: OtpOptions | undefined, base) => {
  warnIfSenderMissing('otp', input, base, base.delivery.email !== null || base.delivery.sms !== null)
  return resolveOtpOptions(input)
})
