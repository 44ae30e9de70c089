import type { RouteDefinition } from './route.js'
import type { RespondHook, RouteOptions } from './route-options.js'

/** The mount path when createGatehouse names none. */
export const defaultMountPath = '/auth'

export interface TableRoute {
  route: RouteDefinition
  /** The path relative to the mount path, after `paths`. */
  path: string
  segments: string[]
  respond: RespondHook | undefined
}

/** The compiled route table: every mounted route with its final path, found by method and path. */
export interface RouteTable {
  readonly mountPath: string
  readonly routes: readonly TableRoute[]
  find(method: string, path: string): { entry: TableRoute; params: Record<string, string> } | null
  /** The mounted route of this name answering `method` (any method when omitted), or undefined. */
  byName(name: string, method?: string): TableRoute | undefined
}

const pathPattern = /^\/([A-Za-z0-9._~:@!$&'()*+,;=-]+(\/[A-Za-z0-9._~:@!$&'()*+,;=-]+)*)?$/

export function isRoutePath(value: unknown): value is string {
  return typeof value === 'string' && pathPattern.test(value)
}

export function splitPath(path: string): string[] {
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

/** Problems with the route options against the routes the features offer; empty when they fit. */
export function checkRouteOptions(routes: readonly RouteDefinition[], options: RouteOptions): string[] {
  const problems: string[] = []
  const offered = new Set(routes.map((route) => route.name))
  for (const [option, names] of [
    ['paths', Object.keys(options.paths ?? {})],
    ['disable', Array.isArray(options.disable) ? options.disable : []],
    ['respond', Object.keys(options.respond ?? {})],
  ] as const) {
    for (const name of names) {
      if (!offered.has(name)) problems.push(`${option}.${name}: is not a route of this gatehouse (${[...offered].join(', ')})`)
    }
  }
  if (options.disable !== undefined && !Array.isArray(options.disable)) problems.push('disable: must be a list of route names')
  // An entry given as undefined keeps the route's own path or answer (exactOptionalPropertyTypes hosts write them).
  for (const [name, path] of Object.entries(options.paths ?? {})) {
    if (path !== undefined && !isRoutePath(path)) problems.push(`paths.${name}: must be a path starting with '/'`)
  }
  for (const [name, hook] of Object.entries(options.respond ?? {})) {
    if (hook !== undefined && typeof hook !== 'function') problems.push(`respond.${name}: must be a function`)
  }
  if (options.mountPath !== undefined && !isRoutePath(options.mountPath)) problems.push("mountPath: must be a path starting with '/'")
  return problems
}

/**
 * Compiles the table once: applies `paths`, `disable` and `respond`. Answers the problems instead
 * when two routes collide. Static paths match by one Map lookup.
 */
export function compileRouteTable(routes: readonly RouteDefinition[], options: RouteOptions): RouteTable | string[] {
  const problems: string[] = []
  const disabled = new Set<string>(options.disable ?? [])
  const paths: Partial<Record<string, string>> = options.paths ?? {}
  const respond: Partial<Record<string, RespondHook>> = options.respond ?? {}
  const staticRoutes = new Map<string, TableRoute>()
  const paramRoutes: TableRoute[] = []
  const entries: TableRoute[] = []
  for (const route of routes) {
    if (disabled.has(route.name)) continue
    const path = paths[route.name] ?? route.path
    const segments = splitPath(path)
    const entry: TableRoute = { route, path, segments, respond: respond[route.name] }
    const key = `${route.method} /${segments.join('/')}`
    const clash = entries.find((other) => `${other.route.method} /${other.segments.join('/')}` === key)
    if (clash !== undefined) problems.push(`paths: ${route.name} and ${clash.route.name} both answer ${key}`)
    if (segments.some((segment) => segment.startsWith(':'))) paramRoutes.push(entry)
    else staticRoutes.set(key, entry)
    entries.push(entry)
  }
  if (problems.length > 0) return problems
  const mountPath = (options.mountPath ?? defaultMountPath).replace(/\/$/, '')
  return {
    mountPath,
    routes: entries,
    find(method, path) {
      const segments = splitPath(path)
      const exact = staticRoutes.get(`${method} /${segments.join('/')}`)
      if (exact !== undefined) return { entry: exact, params: {} }
      for (const entry of paramRoutes) {
        if (entry.route.method !== method) continue
        const params = matchSegments(entry.segments, segments)
        if (params !== null) return { entry, params }
      }
      return null
    },
    byName: (name, method) => entries.find((entry) => entry.route.name === name && (method === undefined || entry.route.method === method)),
  }
}
