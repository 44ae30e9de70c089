/** Where redirects may go: baseUrl's origin for relative paths, and an allow-list of origins for absolute URLs. */
export interface RedirectPolicy {
  baseUrl: URL
  /** Exact origins ('https://app.example.com'); baseUrl's origin belongs here too when absolute URLs to it are fine. */
  allowedRedirectOrigins: ReadonlySet<string>
}

// Browsers drop tabs and newlines inside URLs and read '\' as '/', so '/\tevil.test' or '/\evil.test' would leave the site.
const unsafeCharacters = /[\u0000-\u001f\u007f\\]/

/**
 * The absolute URL to redirect to, or null when `target` could leave the allowed origins (an
 * open redirect). Accepted: a path starting with exactly one '/' (resolved on baseUrl's origin),
 * or an http(s) URL without credentials whose origin is allowed. Refused: '//evil', '/\evil',
 * 'javascript:', 'data:', relative paths without '/', and anything with control characters.
 */
export function resolveSafeRedirect(policy: RedirectPolicy, target: string): string | null {
  if (target.length === 0 || target.length > 2048 || unsafeCharacters.test(target)) return null
  if (target.startsWith('/')) {
    if (target.startsWith('//')) return null
    const resolved = new URL(target, policy.baseUrl.origin)
    return resolved.origin === policy.baseUrl.origin ? resolved.href : null
  }
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  if (url.username !== '' || url.password !== '') return null
  return policy.allowedRedirectOrigins.has(url.origin) ? url.href : null
}
