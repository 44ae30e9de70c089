import { z } from 'zod'
import type { RateLimitRule } from '../../config/base-options.js'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'

/** `createGatehouse({ passwordReset })`: the forgotten-password flow. Needs `delivery.email`. */
export interface PasswordResetOptions {
  /** Default true: on whenever `delivery.email` is set. */
  enabled?: boolean
  /** How long a reset key works. Default 3600 (1 hour). */
  lifetimeSeconds?: number
  /**
   * Path of the host's page that asks for the new password, appended to baseUrl; the mail links
   * to it with `?key=`. The page calls passwordResetInfo and passwordResetComplete. Default '/reset-password'.
   */
  linkPath?: string
  rateLimits?: {
    /** Reset mails per address. Default 5 per hour. */
    perAddress?: RateLimitRule
    /** Reset requests per client IP. Default 30 per hour. */
    perIp?: RateLimitRule
  }
}

export interface ResolvedPasswordResetOptions {
  enabled: boolean
  lifetimeSeconds: number
  linkPath: string
  rateLimits: { perAddress: RateLimitRule; perIp: RateLimitRule }
}

export const passwordResetOptionsSchema = z
  .object({
    enabled: z.boolean(),
    lifetimeSeconds: seconds.max(7 * 24 * 3600),
    linkPath: absolutePath,
    rateLimits: z.object({ perAddress: rateLimitRule, perIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

export function resolvePasswordResetOptions(options: PasswordResetOptions = {}): ResolvedPasswordResetOptions {
  return {
    enabled: options.enabled ?? true,
    lifetimeSeconds: options.lifetimeSeconds ?? 3600,
    linkPath: options.linkPath ?? '/reset-password',
    rateLimits: {
      perAddress: options.rateLimits?.perAddress ?? { max: 5, windowSeconds: 3600 },
      perIp: options.rateLimits?.perIp ?? { max: 30, windowSeconds: 3600 },
    },
  }
}
