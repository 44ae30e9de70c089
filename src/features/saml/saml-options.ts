import { z } from 'zod'
import { absolutePath, rateLimitRule, seconds } from '../../config/option-schemas.js'
import type { RateLimitRule } from '../../config/rate-limit-rule.js'
import type { RedirectPolicy } from '../../http/safe-redirect.js'
import { ConfigError } from '../../errors/config-error.js'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ saml })`: per-workspace SAML2 SSO. The IdPs themselves are configured at run time (ssoConfigPut). */
export interface SamlOptions {
  /** Where a browser lands, with `?error=CODE`, when the ACS refuses a response. A path on baseUrl. Default '/'. */
  loginPage?: string | undefined
  /** The one clock skew allowed on every SAML time (NotBefore, NotOnOrAfter). Default 60. */
  clockSkewSeconds?: number | undefined
  /** The largest decoded SAMLResponse accepted (413 above). Default 262144. The body must also fit `maxBodyBytes`. */
  maxResponseBytes?: number | undefined
  /** How long a login request waits for its response. Default 600. */
  requestLifetimeSeconds?: number | undefined
  /** How long the ACS keeps an SSO identity waiting for ssoLink. Default 900. */
  linkLifetimeSeconds?: number | undefined
  /**
   * How ssoLink learns which pending link the caller confirms: 'cookie' (default) sets an HttpOnly
   * cookie at the ACS; 'code' e-mails the account a single-use confirmation code (stored hashed),
   * which the caller sends to ssoLink as `{ confirmationCode }` with its own session or Basic credentials.
   */
  linkConfirmation?: 'cookie' | 'code' | undefined
  /**
   * How the ACS answers a refused browser post: 'redirect' (default) is a 303 to `loginPage` with
   * `?error=CODE`; 'json' is the JSON error with its status, as programs get it (SSO_LINK_REQUIRED still redirects).
   */
  acsFailure?: 'redirect' | 'json' | undefined
  /** Origins besides baseUrl's that `returnTo` may point at. Relative paths always stay on baseUrl's origin. */
  allowedRedirectOrigins?: string[] | undefined
  /** Where a browser lands when the request named no `returnTo`, and after IdP-initiated logins. A path; default '/'. */
  defaultRedirect?: string | undefined
  rateLimits?: {
    /** Refused ACS posts per client IP. Default 120 per minute (never lower: an office behind one address signs in together). */
    acsRefusalsPerIp?: RateLimitRule | undefined
    /** Login URLs per client IP. Default 120 per minute. */
    loginPerIp?: RateLimitRule | undefined
  } | undefined
}

export interface ResolvedSamlOptions {
  loginPage: string
  clockSkewSeconds: number
  maxResponseBytes: number
  requestLifetimeSeconds: number
  linkLifetimeSeconds: number
  linkConfirmation: 'cookie' | 'code'
  acsFailure: 'redirect' | 'json'
  redirects: RedirectPolicy
  defaultRedirect: string
  rateLimits: { acsRefusalsPerIp: RateLimitRule; loginPerIp: RateLimitRule }
}

const perMinuteAtLeast120 = rateLimitRule.refine((rule) => rule.max / rule.windowSeconds >= 2, 'must allow at least 120 a minute')

const samlOptionsSchema = z
  .object({
    loginPage: absolutePath,
    clockSkewSeconds: z.number().int().min(0).max(600),
    maxResponseBytes: z.number().int().min(4096).max(16 * 1024 * 1024),
    requestLifetimeSeconds: seconds.max(3600),
    linkLifetimeSeconds: seconds.max(24 * 3600),
    linkConfirmation: z.enum(['cookie', 'code']),
    acsFailure: z.enum(['redirect', 'json']),
    allowedRedirectOrigins: z.array(z.url({ protocol: /^https?$/ })),
    defaultRedirect: absolutePath,
    rateLimits: z.object({ acsRefusalsPerIp: perMinuteAtLeast120, loginPerIp: rateLimitRule }).partial().strict(),
  })
  .partial()
  .strict()

function resolveSamlOptions(options: SamlOptions = {}, baseUrl: URL, hasMailer: boolean): ResolvedSamlOptions {
  // Without a mailer the code would go nowhere and no existing account could ever link.
  if (options.linkConfirmation === 'code' && !hasMailer) throw new ConfigError(["saml.linkConfirmation: 'code' needs delivery.email (a Mailer) to send the codes"])
  const origins = [baseUrl.origin, ...(options.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin)]
  return {
    loginPage: options.loginPage ?? '/',
    clockSkewSeconds: options.clockSkewSeconds ?? 60,
    maxResponseBytes: options.maxResponseBytes ?? 262144,
    requestLifetimeSeconds: options.requestLifetimeSeconds ?? 600,
    linkLifetimeSeconds: options.linkLifetimeSeconds ?? 900,
    linkConfirmation: options.linkConfirmation ?? 'cookie',
    acsFailure: options.acsFailure ?? 'redirect',
    redirects: { baseUrl, allowedRedirectOrigins: new Set(origins) },
    defaultRedirect: options.defaultRedirect ?? '/',
    rateLimits: {
      acsRefusalsPerIp: options.rateLimits?.acsRefusalsPerIp ?? { max: 120, windowSeconds: 60 },
      loginPerIp: options.rateLimits?.loginPerIp ?? { max: 120, windowSeconds: 60 },
    },
  }
}

/** `createGatehouse({ saml })`, resolved: read with `samlOptions.of(core)`. */
export const samlOptions = defineFeatureOptions('saml', samlOptionsSchema, (input: SamlOptions | undefined, base) => resolveSamlOptions(input, base.baseUrl, base.delivery.email !== null))
