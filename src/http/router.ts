import type { Authenticated } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { AuthError, ConfigError, unauthenticated } from '../errors/auth-error.js'
import { requireManageScope } from '../features/tokens/token-grant.js'
import { isCrossOriginRequest, isSafeMethod } from './csrf.js'
import { toErrorResponse } from './error-response.js'
import type { RouteDefinition } from './route.js'
import { type RouteName, routeNames } from './route-names.js'
import type { AuthRequest, AuthResponse } from './types.js'

export interface RespondContext {
  route: RouteName
  req: AuthRequest
}

/** Reshapes one route's response (errors too), to reproduce an existing API contract. */
export type RespondHook = (response: AuthResponse, context: RespondContext) => AuthResponse | Promise<AuthResponse>

export interface RouterOptions {
  /** Moves routes: `{ login: '/me/sessions' }`. Paths start with '/'; ':name' segments are parameters. */
  paths?: Partial<Record<RouteName, string>>
  /** Drops routes. */
  disable?: RouteName[]
  /** Reshapes a route's responses. */
  respond?: Partial<Record<RouteName, RespondHook>>
  /** Only paths under this prefix are handled, and it is stripped first (for Koa, or Express without a mount path). */
  prefix?: string
}

export interface Router {
  /** The response for a request one of the routes matches, or null so the host's next handler runs. */
  dispatch(req: AuthRequest): Promise<AuthResponse | null>
  /** Whether `path` lies under the prefix (always, without one): adapters skip the rest of the work otherwise. */
  coversPath(path: string): boolean
  /** Method and path of each mounted route, for documentation and tests. */
  readonly routes: ReadonlyArray<{ name: RouteName; method: string; path: string }>
}

interface CompiledRoute {
  route: RouteDefinition
  segments: string[]
  respond: RespondHook | undefined
}

const pathPattern = /^\/([A-Za-z0-9._~:@!$&'()*+,;=-]+(\/[A-Za-z0-9._~:@!$&'()*+,;=-]+)*)?$/

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '')
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!
    const segment = actual[i]!
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(segment)
      } catch {
        return null
      }
    } else if (expected !== segment) return null
  }
  return params
}

function checkOptions(routes: RouteDefinition[], options: RouterOptions): string[] {
  const problems: string[] = []
  const known = new Set<string>(routeNames)
  const mounted = new Set(routes.map((route) => route.name))
  for (const [option, names] of [
    ['paths', Object.keys(options.paths ?? {})],
    ['disable', options.disable ?? []],
    ['respond', Object.keys(options.respond ?? {})],
  ] as const) {
    for (const name of names) {
      if (!known.has(name)) problems.push(`${option}.${name}: is not a route name`)
      else if (!mounted.has(name as RouteName)) problems.push(`${option}.${name}: this route is not available in this gatehouse`)
    }
  }
  for (const [name, path] of Object.entries(options.paths ?? {})) {
    if (typeof path !== 'string' || !pathPattern.test(path)) problems.push(`paths.${name}: must be a path starting with '/'`)
  }
  for (const [name, hook] of Object.entries(options.respond ?? {})) {
    if (typeof hook !== 'function') problems.push(`respond.${name}: must be a function`)
  }
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || !pathPattern.test(options.prefix))) {
    problems.push("prefix: must be a path starting with '/'")
  }
  return problems
}

/**
 * Compiles the route table once: applies `paths`, `disable` and `respond`, and refuses options
 * that name unknown routes or make two routes collide. Static paths match by one Map lookup.
 */
export function createRouter(core: Core, routes: RouteDefinition[], options: RouterOptions = {}): Router {
  const problems = checkOptions(routes, options)
  const disabled = new Set(options.disable ?? [])
  const staticRoutes = new Map<string, CompiledRoute>()
  const paramRoutes: CompiledRoute[] = []
  const listing: { name: RouteName; method: string; path: string }[] = []
  for (const route of routes) {
    if (disabled.has(route.name)) continue
    const path = options.paths?.[route.name] ?? route.path
    const segments = splitPath(path)
    const compiled: CompiledRoute = { route, segments, respond: options.respond?.[route.name] }
    const key = `${route.method} /${segments.join('/')}`
    const clash = listing.find((other) => `${other.method} /${splitPath(other.path).join('/')}` === key)
    if (clash !== undefined) problems.push(`paths: ${route.name} and ${clash.name} both answer ${key}`)
    if (segments.some((segment) => segment.startsWith(':'))) paramRoutes.push(compiled)
    else staticRoutes.set(key, compiled)
    listing.push({ name: route.name, method: route.method, path })
  }
  if (problems.length > 0) throw new ConfigError(problems)
  const prefix = options.prefix === undefined || options.prefix === '/' ? '' : options.prefix.replace(/\/$/, '')
  const coversPath = (path: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`)

  function find(method: string, path: string): { compiled: CompiledRoute; params: Record<string, string> } | null {
    const segments = splitPath(path)
    const exact = staticRoutes.get(`${method} /${segments.join('/')}`)
    if (exact !== undefined) return { compiled: exact, params: {} }
    for (const compiled of paramRoutes) {
      if (compiled.route.method !== method) continue
      const params = matchSegments(compiled.segments, segments)
      if (params !== null) return { compiled, params }
    }
    return null
  }

  async function run(route: RouteDefinition, req: AuthRequest): Promise<AuthResponse> {
    const unsafe = !isSafeMethod(req.method) && route.csrf !== false
    if (route.access === 'public') {
      // No credential to read yet, so a cross-site form could still log a victim into the attacker's account.
      if (unsafe && req.headers.get('authorization') === null && isCrossOriginRequest(req, core.config.allowedOrigins)) {
        throw csrfRejected()
      }
      return route.handle({ core, req, auth: null })
    }
    const auth: Authenticated | null = await authenticate(core, req)
    if (auth === null) throw unauthenticated()
    if (unsafe && auth.context.method === 'cookie' && isCrossOriginRequest(req, core.config.allowedOrigins)) throw csrfRejected()
    if (route.access === 'user' && auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    if (auth.token !== undefined && !isSafeMethod(req.method) && route.openToAnyToken !== true) requireManageScope(core, auth.token)
    return route.handle({ core, req, auth })
  }

  return {
    routes: listing,
    coversPath,
    async dispatch(req) {
      if (!coversPath(req.path)) return null
      const path = req.path.slice(prefix.length) || '/'
      const found = find(req.method === 'HEAD' ? 'GET' : req.method, path)
      if (found === null) return null
      const { compiled, params } = found
      req.params = params
      let response: AuthResponse
      try {
        response = await run(compiled.route, req)
      } catch (error) {
        response = toErrorResponse(error, core.config.logger, `route ${compiled.route.name}`)
      }
      if (compiled.respond === undefined) return response
      try {
        return await compiled.respond(response, { route: compiled.route.name, req })
      } catch (error) {
        return toErrorResponse(error, core.config.logger, `respond hook of ${compiled.route.name}`)
      }
    },
  }
}

export function csrfRejected(): AuthError {
  return new AuthError('CSRF_REJECTED', 403, 'Cross-origin requests with a session cookie are not allowed.')
}

export function secondFactorRequired(): AuthError {
  return new AuthError('SECOND_FACTOR_REQUIRED', 403, 'A second factor is required.')
}
