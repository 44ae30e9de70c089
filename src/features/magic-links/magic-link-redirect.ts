import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { resolveSafeRedirect } from '../../http/safe-redirect.js'
import { magicLinkOptions } from './magic-link-options.js'

/** The absolute URL a magic link lands on: `redirectTo` when allowed, else the default; 400 INVALID_REDIRECT for a disallowed one. */
export function resolveMagicLinkRedirect(core: Core, redirectTo: string | undefined): string {
  const { redirects, defaultRedirect } = magicLinkOptions.of(core)
  const resolved = resolveSafeRedirect(redirects, redirectTo ?? defaultRedirect)
  if (resolved === null) throw new AuthError('INVALID_REDIRECT')
  return resolved
}

/** Whether magic links are on, e-mail delivery is configured and a link has somewhere to open: `linkUrl` or the mounted verify route. */
export function magicLinksAvailable(core: Core): boolean {
  const { enabled, linkUrl } = magicLinkOptions.of(core)
  return enabled && core.config.delivery.email !== null && (linkUrl !== null || core.urls.has('magicLinkVerify'))
}

/** 404 FEATURE_DISABLED unless magic links are available. */
export function assertMagicLinksEnabled(core: Core): void {
  if (!magicLinksAvailable(core)) {
    throw new AuthError('FEATURE_DISABLED', { message: 'Magic links are not enabled.' })
  }
}
