import { z } from 'zod'
import { warnIfSenderMissing } from '../../config/startup-warnings.js'
import { defineFeatureOptions } from '../feature-options.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'

/** `createGatehouse({ passwordReset })`: the forgotten-password flow. Needs `delivery.email`. */
export interface PasswordResetOptions {
  /** Default true: on whenever `delivery.email` is set. */
  enabled?: boolean | undefined
  /** How long a reset key works. Default 3600 (1 hour). */
  lifetimeSeconds?: number | undefined
  /**
   * Path of the host's page that asks for the new password, on baseUrl's origin; the mail links to
   * it with `?key=`, and the page calls passwordResetInfo and passwordResetComplete. Default: the
   * passwordResetInfo route's own URL, wherever it is mounted (it answers JSON).
   */
  linkPath?: string | undefined
  rateLimits?: {
    /** Reset mails per address. Default 5 per hour. */
    perAddress?: RateLimitRule | undefined
    /** Reset requests per client IP. Default 30 per hour. */
    perIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedPasswordResetOptions {
  enabled: boolean
  lifetimeSeconds: number
  /** Null: link to the passwordResetInfo route. */
  linkPath: string | null
  rateLimits: { perAddress: RateLimitRule; perIp: RateLimitRule }
}

const passwordResetOptionsSchema = z
  .object({
    enabled: z.boolean(),
    lifetimeSeconds: seconds.max(7 * 24 * 3600),
    linkPath: absolutePath,
    rateLimits: z.object({ perAddress: rateLimitRule, perIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

function resolvePasswordResetOptions(options: PasswordResetOptions = {}): ResolvedPasswordResetOptions {
  return {
    enabled: options.enabled ?? true,
    lifetimeSeconds: options.lifetimeSeconds ?? 3600,
    linkPath: options.linkPath ?? null,
    rateLimits: {
      perAddress: options.rateLimits?.perAddress ?? { max: 5, windowSeconds: 3600 },
      perIp: options.rateLimits?.perIp ?? { max: 30, windowSeconds: 3600 },
    },
  }
}

/** `createGatehouse({ passwordReset })`, resolved: read with `passwordResetOptions.of(core)`. */
export const passwordResetOptions = defineFeatureOptions('passwordReset', passwordResetOptionsSchema, (input: PasswordResetOptions | undefined, base) => {
  warnIfSenderMissing('passwordReset', input, base, base.delivery.email !== null)
  return resolvePasswordResetOptions(input)
})
