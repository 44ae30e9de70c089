import { z } from 'zod'
import { type RedirectPolicy, resolveSafeRedirect } from '../http/safe-redirect.js'

/** The routes that take a browser form post and answer it with a 303 to a page (README, "Browser forms"). */
export const formRouteNames = ['login', 'signup', 'magicLinkSend', 'passwordResetRequest', 'passwordResetComplete'] as const

export type FormRouteName = (typeof formRouteNames)[number]

/** Where a form post lands: a path on baseUrl's origin, or a URL on baseUrl's origin or one of trustedOrigins. */
export interface FormRedirects {
  /** Where a success lands (login and signup with the session cookie). */
  successRedirect?: string | undefined
  /** Gets `?error=CODE` appended. */
  failureRedirect?: string | undefined
}

/**
 * `createGatehouse({ forms })`, like Passport's successRedirect and failureRedirect. The top-level
 * pair applies to every form route; `routes.<name>` overrides it field by field, and `false`
 * keeps that route JSON only.
 */
export interface FormOptions extends FormRedirects {
  routes?: { [Route in FormRouteName]?: FormRedirects | false | undefined } | undefined
}

/** The absolute pages of one form route. */
export interface FormTargets {
  successUrl: string
  failureUrl: string
}

/** Form routes that have both pages; a route absent here answers JSON only. */
export type ResolvedFormTargets = ReadonlyMap<FormRouteName, FormTargets>

const redirectTarget = z.string().min(1).max(2048)
const formRedirects = z.object({ successRedirect: redirectTarget, failureRedirect: redirectTarget }).partial().strict()

/** The shape of `forms`; compileFormTargets checks the targets against baseUrl and trustedOrigins. */
export const formOptionsSchema = formRedirects
  .extend({
    routes: z.object(Object.fromEntries(formRouteNames.map((name) => [name, z.union([formRedirects, z.literal(false)])]))).partial().strict(),
  })
  .partial()
  .strict()

/** Each route's pages, and the problems: a target that could leave the allowed origins, or a route given only one of its two pages. */
export function compileFormTargets(options: FormOptions | undefined, policy: RedirectPolicy): { targets: ResolvedFormTargets; problems: string[] } {
  const targets = new Map<FormRouteName, FormTargets>()
  const problems: string[] = []
  // By option path, so that a bad top-level target is reported once, not once per route.
  const resolved = new Map<string, string | null>()
  const resolve = (where: string, target: string): string | null => {
    if (!resolved.has(where)) {
      const url = resolveSafeRedirect(policy, target)
      if (url === null) problems.push(`${where}: must be a path starting with a single '/', or a URL on baseUrl's origin or one of trustedOrigins`)
      resolved.set(where, url)
    }
    return resolved.get(where)!
  }
  for (const name of formRouteNames) {
    const own = options?.routes?.[name]
    if (own === false) continue
    const pick = (field: keyof FormRedirects) => {
      const target = own?.[field]
      if (target !== undefined) return resolve(`forms.routes.${name}.${field}`, target)
      return options?.[field] === undefined ? undefined : resolve(`forms.${field}`, options[field])
    }
    const successUrl = pick('successRedirect')
    const failureUrl = pick('failureRedirect')
    if (successUrl === undefined && failureUrl === undefined) continue
    if (successUrl === undefined || failureUrl === undefined) {
      const missing = successUrl === undefined ? 'successRedirect' : 'failureRedirect'
      problems.push(`forms.routes.${name}: needs a ${missing} too (in forms or forms.routes.${name}), or \`${name}: false\` to keep it JSON only`)
    } else if (successUrl !== null && failureUrl !== null) {
      targets.set(name, { successUrl, failureUrl })
    }
  }
  return { targets, problems }
}
