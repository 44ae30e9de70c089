import type { Core } from '../../core.js'
import { magicLinkOptions } from './magic-link-options.js'
import { escapeHtml } from '../../http/escape-html.js'
import type { AuthResponse } from '../../http/types.js'

/**
 * Headers of gatehouse's own HTML pages: no script, style or frame may load; the form may post
 * only to this site and redirect to the allowed origins; the token in the URL never leaves as a Referer.
 */
function pageHeaders(core: Core): [string, string][] {
  const formTargets = ["'self'", ...magicLinkOptions.of(core).redirects.allowedRedirectOrigins].join(' ')
  return [
    ['content-type', 'text/html; charset=utf-8'],
    ['content-security-policy', `default-src 'none'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`],
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['cache-control', 'no-store'],
  ]
}

/** One of gatehouse's own small HTML pages (confirm and failure pages of one-time links). */
export function htmlPage(core: Core, status: number, title: string, content: string): AuthResponse {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">' +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`
  return { status, headers: pageHeaders(core), body: html }
}

/**
 * The page a browser gets when it opens a magic link: a button that POSTs the token back. Mail
 * scanners that fetch links do not press it, so they cannot use the link up.
 */
export function magicLinkConfirmPage(core: Core, token: string): AuthResponse {
  const host = core.config.baseUrl.host
  return htmlPage(core,
    200,
    `Sign in to ${host}`,
    '<p>Press the button to finish signing in.</p>' +
      `<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Sign in</button></form>`,
  )
}

/** The page a browser gets when a magic link does not work. */
export function magicLinkFailedPage(core: Core, status: number, message: string): AuthResponse {
  return htmlPage(core, status, 'This sign-in link does not work', `<p>${escapeHtml(message)}</p><p>Ask for a new link and open the newest one.</p>`)
}
