import { z } from 'zod'
import { warnIfSenderMissing } from '../../config/startup-warnings.js'
import { defineFeatureOptions } from '../feature-options.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import type { RedirectPolicy } from '../../http/safe-redirect.js'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'

/** `createGatehouse({ magicLinks })`. Magic links need `delivery.email`. */
export interface MagicLinkOptions {
  /** Default true: on whenever `delivery.email` is set. */
  enabled?: boolean | undefined
  /** How long a link works. Default 600 (10 minutes). */
  lifetimeSeconds?: number | undefined
  /** Whether a link to an unknown address creates the account when opened. Default false. */
  createUsers?: boolean | undefined
  /** Origins besides baseUrl's that `redirectTo` may point at. Relative paths always stay on baseUrl's origin. */
  allowedRedirectOrigins?: string[] | undefined
  /** Where a browser lands when the link named no `redirectTo`. A path; default '/'. */
  defaultRedirect?: string | undefined
  /**
   * The link mailed, an http(s) URL with `{token}` where the token goes
   * (`https://app.example.com/users/{token}`): your page, whose server calls
   * `gate.magicLinks.consume`. Without it the link is the `magicLinkVerify` route's URL with `?token=`.
   */
  linkUrl?: string | undefined
  rateLimits?: {
    /** Links per address. Default 5 per hour. */
    perAddress?: RateLimitRule | undefined
    /** Links per client IP. Default 30 per hour. */
    perIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedMagicLinkOptions {
  enabled: boolean
  lifetimeSeconds: number
  createUsers: boolean
  redirects: RedirectPolicy
  defaultRedirect: string
  linkUrl: string | null
  rateLimits: { perAddress: RateLimitRule; perIp: RateLimitRule }
}

const magicLinkOptionsSchema = z
  .object({
    enabled: z.boolean(),
    lifetimeSeconds: seconds.max(24 * 3600),
    createUsers: z.boolean(),
    allowedRedirectOrigins: z.array(z.url({ protocol: /^https?$/ })),
    defaultRedirect: absolutePath,
    linkUrl: z.string().refine(isLinkTemplate, "must be an http(s) URL with '{token}' in it"),
    rateLimits: z.object({ perAddress: rateLimitRule, perIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

/** An http(s) URL once `{token}` is filled in, and a place for the token in it. */
function isLinkTemplate(template: string): boolean {
  if (!template.includes('{token}')) return false
  try {
    return /^https?:$/.test(new URL(template.replaceAll('{token}', 'token')).protocol)
  } catch {
    return false
  }
}

function resolveMagicLinkOptions(options: MagicLinkOptions = {}, baseUrl: URL): ResolvedMagicLinkOptions {
  const origins = [baseUrl.origin, ...(options.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin)]
  return {
    enabled: options.enabled ?? true,
    lifetimeSeconds: options.lifetimeSeconds ?? 600,
    createUsers: options.createUsers ?? false,
    redirects: { baseUrl, allowedRedirectOrigins: new Set(origins) },
    defaultRedirect: options.defaultRedirect ?? '/',
    linkUrl: options.linkUrl ?? null,
    rateLimits: {
      perAddress: options.rateLimits?.perAddress ?? { max: 5, windowSeconds: 3600 },
      perIp: options.rateLimits?.perIp ?? { max: 30, windowSeconds: 3600 },
    },
  }
}

/** `createGatehouse({ magicLinks })`, resolved: read with `magicLinkOptions.of(core)`. */
export const magicLinkOptions = defineFeatureOptions('magicLinks', magicLinkOptionsSchema, (input: MagicLinkOptions | undefined, base) => {
  warnIfSenderMissing('magicLinks', input, base, base.delivery.email !== null)
  return resolveMagicLinkOptions(input, base.baseUrl)
})
