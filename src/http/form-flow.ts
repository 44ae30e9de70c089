import type { FormRouteName, FormTargets } from '../config/form-options.js'
import type { Core } from '../core.js'
import { prefersHtmlToJson } from './accept-preference.js'
import { noStoreHeader } from './no-store.js'
import { readBodyMediaType } from './request-body.js'
import type { FailureResponder } from './route.js'
import type { AuthRequest, AuthResponse } from './types.js'

/**
 * The pages of a browser form flow when `route` has them (`forms`) and the request is a form
 * post from a page: a form-encoded body, and an Accept that ranks HTML above JSON. Anything
 * else (fetch, XHR, curl, a JSON body) is null and gets today's JSON answer.
 */
export function readFormFlow(core: Core, req: AuthRequest, route: FormRouteName): FormTargets | null {
  const targets = core.config.forms.get(route)
  if (targets === undefined) return null
  if (readBodyMediaType(req.headers.get('content-type')) !== 'form' || !prefersHtmlToJson(req.headers.get('accept'))) return null
  return targets
}

// The pages get no Referer from the form's page (a reset page carries its key in its URL).
const redirectHeaders: [string, string][] = [noStoreHeader, ['referrer-policy', 'no-referrer']]

/** `json` for programs; for a form post from a page, a 303 to the route's success page. */
export function answerFormOrJson(core: Core, req: AuthRequest, route: FormRouteName, json: AuthResponse): AuthResponse {
  const form = readFormFlow(core, req, route)
  return form === null ? json : { status: 303, redirect: form.successUrl, headers: redirectHeaders }
}

/**
 * A refused form post from a page: 303 to the route's failure page with `?error=CODE` added to
 * its query, and nothing else of the request (no e-mail, no detail). Retry-After comes along.
 */
export function formFailure(route: FormRouteName): FailureResponder {
  return (error, { core, req }) => {
    const form = readFormFlow(core, req, route)
    if (form === null) return undefined
    const location = new URL(form.failureUrl)
    location.searchParams.set('error', error.code)
    return { status: 303, redirect: location.href, headers: [...redirectHeaders, ...error.headers] }
  }
}
