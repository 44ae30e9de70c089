import type { Authenticated } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { AuthError, secondFactorRequired, unauthenticated } from '../errors/auth-error.js'
import { requireManageScope } from '../features/tokens/token-grant.js'
import { createVerificationCheck, emailNotVerified } from '../features/email-verification/email-verification-access.js'
import { type CompiledNeeds, checkNeeds, checkWorkspaceNeeds, compileNeeds } from './access-needs.js'
import { isSafeMethod, rejectCrossSiteCookieRequest, rejectCrossSiteRequest } from './csrf.js'
import { toErrorResponse } from './error-response.js'
import { parseInput } from './read-input.js'
import type { RouteContext, RouteDefinition, RouteInput } from './route.js'
import type { RouteTable, TableRoute } from './route-table.js'
import type { AuthRequest, AuthResponse } from './types.js'
import { actAsUser } from './act-as-user.js'
import { mapInput, nameDetailsAsSent } from './map-input.js'
import { readSessionTokenHeader } from './session-header.js'
import { shapeResponse } from './shape-response.js'
import { checkDoubleSubmit } from './double-submit.js'

export interface RouterOptions {
  /** Only paths under this prefix are handled, and it is stripped first (Koa, or Express without a mount path). */
  prefix?: string | undefined
}

export interface Router {
  /** The response for a request one of the routes matches, or null so the host's next handler runs. */
  dispatch(req: AuthRequest): Promise<AuthResponse | null>
  /** Whether `path` lies under the prefix (always, without one): adapters skip the rest of the work otherwise. */
  coversPath(path: string): boolean
}

/** Reads and validates what the route declared; a missing body counts as `{}` so the schema names what is missing. */
async function readRouteInput(route: RouteDefinition, req: AuthRequest): Promise<RouteInput<unknown, unknown, unknown>> {
  const { input } = route
  return {
    body: input?.body === undefined ? undefined : parseInput(input.body, (await req.readBody()) ?? {}),
    query: input?.query === undefined ? undefined : parseInput(input.query, Object.fromEntries(req.query())),
    params: input?.params === undefined ? req.params : parseInput(input.params, req.params),
  }
}

/** 400 when a path parameter misses its `shape.<route>.paramFormats` pattern: a malformed URL, whoever calls. */
function checkParamFormats(entry: TableRoute, req: AuthRequest): void {
  const formats = entry.shape?.paramFormats
  if (formats === undefined) return
  const details = Object.entries(formats)
    .filter(([name, pattern]) => !pattern.test(req.params[name] ?? ''))
    .map(([name]) => ({ path: name, message: 'has the wrong format' }))
  if (details.length > 0) throw new AuthError('INVALID_REQUEST', { message: 'A path parameter has the wrong format.', details })
}

/**
 * Dispatches requests to the compiled route table and enforces what each route declares: who may
 * call it, CSRF, the manage scope for tokens on unsafe routes, its needs and its inputs. Handlers
 * get validated input and a resolved caller, and re-check nothing.
 */
export function createRouter(core: Core, table: RouteTable, options: RouterOptions = {}): Router {
  const prefix = options.prefix === undefined || options.prefix === '/' ? '' : options.prefix.replace(/\/$/, '')
  const coversPath = (path: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`)
  const needs = new Map<TableRoute, CompiledNeeds>(
    table.routes.flatMap((entry) => (entry.route.needs === undefined ? [] : [[entry, compileNeeds(core, entry.route.needs, `route ${entry.route.name}`)]])),
  )

  const awaitsVerification = createVerificationCheck(core)

  async function run(entry: TableRoute, req: AuthRequest): Promise<AuthResponse> {
    const { route } = entry
    checkParamFormats(entry, req)
    const unsafe = !isSafeMethod(req.method) && route.csrf !== false
    const actAs = entry.shape?.actAs
    if (actAs !== undefined) {
      // Server to server: a token holding the scope, acting on the user the path names; no cookie, so no CSRF.
      const caller = await authenticate(core, req)
      if (caller === null) throw unauthenticated()
      const actedOn = await actAsUser(core, caller, actAs, req)
      return handle(entry, req, actedOn, route.access === 'public' ? null : actedOn)
    }
    if (route.access === 'public') {
      // No credential to read yet, so a cross-site form could still log a victim into the attacker's account;
      // a form can send neither Authorization nor the session-token header.
      if (unsafe && req.headers.get('authorization') === null && readSessionTokenHeader(core.config, req.headers) === undefined) rejectCrossSiteRequest(core, req)
      return handle(entry, req, null, null)
    }
    const auth: Authenticated | null = await authenticate(core, req)
    if (auth === null) throw unauthenticated()
    if (route.csrf !== false) rejectCrossSiteCookieRequest(core, req, auth)
    if (route.access === 'user' && auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    if (route.access === 'user' && awaitsVerification(auth.user)) throw emailNotVerified()
    if (auth.token !== undefined && (route.manageScope === true || (!isSafeMethod(req.method) && route.openToAnyToken !== true))) {
      requireManageScope(core, auth.token)
    }
    const routeNeeds = needs.get(entry)
    if (routeNeeds !== undefined) {
      checkNeeds(core, auth, routeNeeds)
      if (routeNeeds.workspace !== undefined) await checkWorkspaceNeeds(core, auth, routeNeeds, req)
    }
    return handle(entry, req, null, auth)
  }

  /** Input (mapped, then validated) and handler, past the access checks: their refusals may answer the route's own way. */
  async function handle(entry: TableRoute, original: AuthRequest, actedOn: Authenticated | null, auth: Authenticated | null): Promise<AuthResponse> {
    const { route } = entry
    try {
      if (entry.shape?.doubleSubmit !== undefined) await checkDoubleSubmit(original, entry.shape.doubleSubmit)
      const mapping = entry.shape?.input
      const req = mapping === undefined ? original : await mapInput(original, mapping, actedOn?.user ?? null)
      const input = await readRouteInput(route, req)
      return await (route.handle as (ctx: RouteContext<Authenticated | null, unknown, unknown, unknown>) => Promise<AuthResponse>)({ core, req, auth, input })
    } catch (thrown) {
      const error = entry.shape?.input === undefined ? thrown : nameDetailsAsSent(thrown, entry.shape.input)
      const own = typeof route.failure === 'function' && error instanceof AuthError && error.status < 500 ? route.failure(error, { core, req: original }) : undefined
      if (own === undefined) throw error
      return own
    }
  }

  return {
    coversPath,
    async dispatch(req) {
      if (!coversPath(req.path)) return null
      const path = req.path.slice(prefix.length) || '/'
      const found = table.find(req.method === 'HEAD' ? 'GET' : req.method, path)
      if (found === null) return null
      const { entry, params } = found
      req.params = params
      let response: AuthResponse
      let failed = false
      try {
        response = await run(entry, req)
      } catch (error) {
        response = toErrorResponse(error, core.config.logger, `route ${entry.route.name}`)
        failed = true
      }
      try {
        response = await shapeResponse({ route: entry.route.name, req, response, failed }, entry.shape, table.responses)
      } catch (error) {
        response = toErrorResponse(error, core.config.logger, `shaping of ${entry.route.name}`)
      }
      if (entry.respond === undefined) return response
      try {
        return await entry.respond(response, { route: entry.route.name, req })
      } catch (error) {
        return toErrorResponse(error, core.config.logger, `respond hook of ${entry.route.name}`)
      }
    },
  }
}
