import { z } from 'zod'
import type { Core } from '../../core.js'
import { localeField, readPreferredLocales } from '../../delivery/choose-locale.js'
import { emailField } from '../../http/email.js'
import { AuthError } from '../../errors/auth-error.js'
import { isCrossOriginRequest } from '../../http/csrf.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { readBody, readQuery } from '../../http/read-input.js'
import type { RouteDefinition } from '../../http/route.js'
import { csrfRejected } from '../../errors/auth-error.js'
import type { AuthRequest, AuthResponse } from '../../http/types.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { findPresentedSession } from '../sessions/end-presented-session.js'
import { beginSession } from '../sessions/session-routes.js'
import { consumeMagicLink } from './consume-magic-link.js'
import { magicLinkConfirmPage, magicLinkFailedPage } from './magic-link-page.js'
import { assertMagicLinksEnabled, resolveMagicLinkRedirect } from './magic-link-redirect.js'
import { sendMagicLink } from './send-magic-link.js'
import { magicLinkOptions } from './magic-link-options.js'

const token = z.string().min(1).max(256)

const sendBody = z.object({ email: emailField, redirectTo: z.string().max(2048).optional(), locale: localeField.optional() })
const tokenQuery = z.object({ token })
const tokenBody = z.object({ token: token.optional() })

/** Programs ask for JSON; a browser following the link from a mail asks for HTML. */
function wantsJson(req: AuthRequest): boolean {
  return (req.headers.get('accept') ?? '').toLowerCase().includes('application/json')
}

/**
 * Whether a GET may use the link up: JSON asked for, and neither HTML nor any type accepted.
 * Link-preview bots fetch with HTTP clients' defaults that name JSON among any type (axios's
 * Accept); they must get the page, not burn the link.
 */
function prefersJson(req: AuthRequest): boolean {
  const types = (req.headers.get('accept') ?? '').split(',').map((range) => range.split(';', 1)[0]!.trim().toLowerCase())
  return types.includes('application/json') && !types.includes('text/html') && !types.includes('*/*')
}

/** Uses the token up and signs in: 200 `{ user, session }` for programs, 303 to the redirect target for browsers. */
async function signInWithLink(core: Core, req: AuthRequest, linkToken: string, json: boolean): Promise<AuthResponse> {
  let consumed
  try {
    consumed = await consumeMagicLink(core, linkToken, { presentedSessionId: (await findPresentedSession(core, req))?.id })
  } catch (error) {
    if (json || !(error instanceof AuthError) || error.status >= 500) throw error
    return magicLinkFailedPage(core, error.status, error.message)
  }
  const response = await beginSession(core, req, consumed.user, 'magic_link')
  if (json) return response
  return {
    status: 303,
    redirect: consumed.redirectTo,
    cookies: response.cookies ?? [],
    headers: [['cache-control', 'no-store'], ['referrer-policy', 'no-referrer']],
  }
}

export const magicLinkRoutes: RouteDefinition[] = [
  {
    name: 'magicLinkSend',
    method: 'POST',
    path: '/magic-link',
    access: 'public',
    async handle({ core, req }) {
      assertMagicLinksEnabled(core)
      const input = await readBody(req, sendBody)
      const redirectTo = resolveMagicLinkRedirect(core, input.redirectTo)
      const { rateLimits } = magicLinkOptions.of(core)
      if (req.ip !== undefined) await enforceRateLimit(core, `magic_link:ip:${clientIpKey(req.ip)}`, rateLimits.perIp)
      await enforceRateLimit(core, `magic_link:address:${input.email}`, rateLimits.perAddress)
      const locales = readPreferredLocales(req.headers, input.locale)
      // Whether the address has an account decides only work done after the answer, so the answer cannot tell.
      core.background.run('magicLinkSend', () => sendMagicLink(core, { email: input.email, redirectTo, locales }))
      return { status: 202 }
    },
  },
  {
    name: 'magicLinkVerify',
    method: 'GET',
    path: '/magic-link/verify',
    access: 'public',
    async handle({ core, req }) {
      assertMagicLinksEnabled(core)
      const { token: linkToken } = readQuery(req, tokenQuery)
      // HEAD (link checkers) only ever sees the page; a GET that signs in must not come from another site's script.
      if (req.method !== 'GET' || !prefersJson(req)) return magicLinkConfirmPage(core, linkToken)
      if (isCrossOriginRequest(req, core.config.allowedOrigins)) throw csrfRejected()
      return signInWithLink(core, req, linkToken, true)
    },
  },
  {
    name: 'magicLinkVerify',
    method: 'POST',
    path: '/magic-link/verify',
    access: 'public',
    async handle({ core, req }) {
      assertMagicLinksEnabled(core)
      const fromBody = (await readBody(req, tokenBody)).token
      const linkToken = fromBody ?? readQuery(req, tokenQuery).token
      return signInWithLink(core, req, linkToken, wantsJson(req))
    },
  },
]
