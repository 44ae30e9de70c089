import type { Core } from '../../core.js'
import { escapeHtml } from '../../http/escape-html.js'
import type { AuthResponse } from '../../http/types.js'
import { htmlPage } from '../magic-links/magic-link-page.js'

/** What a browser opening a verification link gets: a button that POSTs the token, which mail scanners do not press. */
export function emailVerificationConfirmPage(core: Core, token: string): AuthResponse {
  return htmlPage(
    core,
    200,
    `Confirm your e-mail address for ${core.config.baseUrl.host}`,
    '<p>Press the button to confirm this address.</p>' +
      `<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Confirm</button></form>`,
  )
}

/** The page a browser gets when a verification link does not work. */
export function emailVerificationFailedPage(core: Core, status: number, message: string): AuthResponse {
  return htmlPage(core, status, 'This confirmation link does not work', `<p>${escapeHtml(message)}</p><p>Ask for a new link and open the newest one.</p>`)
}
