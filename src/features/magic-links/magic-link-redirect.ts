import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { resolveSafeRedirect } from '../../http/safe-redirect.js'

/** The absolute URL a magic link lands on: `redirectTo` when allowed, else the default; 400 INVALID_REDIRECT for a disallowed one. */
export function resolveMagicLinkRedirect(core: Core, redirectTo: string | undefined): string {
  const { redirects, defaultRedirect } = core.config.magicLinks
  const resolved = resolveSafeRedirect(redirects, redirectTo ?? defaultRedirect)
  if (resolved === null) throw new AuthError('INVALID_REDIRECT', 400, 'redirectTo must be a path on this site or an allowed origin.')
  return resolved
}

/** 404 FEATURE_DISABLED unless magic links are on and e-mail delivery is configured. */
export function assertMagicLinksEnabled(core: Core): void {
  if (!core.config.magicLinks.enabled || core.config.delivery.email === null) {
    throw new AuthError('FEATURE_DISABLED', 404, 'Magic links are not enabled.')
  }
}
