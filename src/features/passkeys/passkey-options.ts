import { isIP } from 'node:net'
import { z } from 'zod'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import { rateLimitRule, seconds } from '../../config/option-schemas.js'
import { ConfigError } from '../../errors/config-error.js'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ passkeys })`. Every value is explicit or derived from `baseUrl`; a request's Host never decides any of them. */
export interface PasskeyOptions {
  /** The relying-party id passkeys are bound to: a domain equal to, or a parent of, every origin's host. Default baseUrl's hostname. */
  rpId?: string | undefined
  /** The name authenticators show beside the account. Default the rpId. */
  rpName?: string | undefined
  /** The origins a browser may run a ceremony from (the page, not the API). Default baseUrl's origin. */
  origins?: string[] | undefined
  /** How long a challenge (and the browser's prompt) lasts. Default 300 (5 minutes). */
  challengeLifetimeSeconds?: number | undefined
  rateLimits?: {
    /** Sign-in options (each stores a challenge) per client IP. Default 60 per 300 s. */
    signInPerIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedPasskeyOptions {
  rpId: string
  rpName: string
  origins: string[]
  challengeLifetimeSeconds: number
  rateLimits: { signInPerIp: RateLimitRule }
}

const passkeyOptionsSchema = z
  .object({
    rpId: z.string().min(1).max(253),
    rpName: z.string().min(1).max(128),
    origins: z.array(z.url({ protocol: /^https?$/ })).min(1),
    challengeLifetimeSeconds: seconds.min(30).max(3600),
    rateLimits: z.object({ signInPerIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

/** Browsers accept an rpId only when it is the origin's host or a parent domain of it; never an IP address. */
function coversHost(rpId: string, host: string): boolean {
  return host === rpId || host.endsWith(`.${rpId}`)
}

function resolvePasskeyOptions(options: PasskeyOptions = {}, baseUrl: URL): ResolvedPasskeyOptions {
  const rpId = (options.rpId ?? baseUrl.hostname).toLowerCase()
  const origins = [...new Set((options.origins ?? [baseUrl.origin]).map((origin) => new URL(origin).origin))]
  const problems: string[] = []
  if (options.rpId !== undefined && isIP(rpId) !== 0) problems.push('passkeys.rpId: must be a domain name, not an IP address (browsers refuse it)')
  for (const origin of origins) {
    if (!coversHost(rpId, new URL(origin).hostname)) problems.push(`passkeys.origins: ${origin} is not on the domain ${rpId} (passkeys.rpId)`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return {
    rpId,
    rpName: options.rpName ?? rpId,
    origins,
    challengeLifetimeSeconds: options.challengeLifetimeSeconds ?? 300,
    rateLimits: { signInPerIp: options.rateLimits?.signInPerIp ?? { max: 60, windowSeconds: 300 } },
  }
}

/** `createGatehouse({ passkeys })`, resolved: read with `passkeyOptions.of(core)`. */
export const passkeyOptions = defineFeatureOptions('passkeys', passkeyOptionsSchema, (input: PasskeyOptions | undefined, base) =>
  resolvePasskeyOptions(input, base.baseUrl),
)
