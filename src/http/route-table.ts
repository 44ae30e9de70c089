import type { HttpMethod, RouteDefinition } from './route.js'
import { mountShapeSchema, routeShapeSchema } from './route-shape-schema.js'
import type { MountShape, PathBinding, PathOption, RespondHook, RouteOptions, RouteShape } from './route-options.js'

/** The mount path when createGatehouse names none. */
export const defaultMountPath = '/auth'

export interface TableRoute {
  route: RouteDefinition
  /** The method it answers, after `paths`. */
  method: HttpMethod
  /** The path relative to the mount path, after `paths`. */
  path: string
  segments: string[]
  /** Constant parameters of this mount (`paths` bindings). */
  params: Readonly<Record<string, string>>
  respond: RespondHook | undefined
  shape: RouteShape | undefined
}

const httpMethods: ReadonlySet<string> = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

/** A `paths` entry as bindings: a list stays a list; a string may start with a method ('POST /auth/logout'). */
function readPathOptions(option: PathOption | readonly PathOption[]): PathBinding[] {
  const list: readonly PathOption[] = Array.isArray(option) ? option : [option as PathOption]
  return list.map((entry) => {
    if (typeof entry !== 'string') return entry
    const space = entry.indexOf(' ')
    return space > 0 ? { method: entry.slice(0, space) as HttpMethod, path: entry.slice(space + 1) } : { path: entry }
  })
}

/** Problems of one route's `paths` entry; empty when it fits. */
function checkPathOption(name: string, option: unknown): string[] {
  const where = `paths.${name}`
  if (typeof option !== 'string' && (typeof option !== 'object' || option === null)) return [`${where}: must be a path, a { path, method?, params? } or a list of them`]
  if (Array.isArray(option) && option.length === 0) return [`${where}: must list at least one path (disable drops a route)`]
  const problems: string[] = []
  for (const binding of readPathOptions(option as PathOption | PathOption[])) {
    if (typeof binding !== 'object' || binding === null || !isRoutePath(binding.path)) {
      problems.push(`${where}: must be a path starting with '/', optionally after a method ('POST /auth/logout')`)
      continue
    }
    if (binding.method !== undefined && !httpMethods.has(binding.method)) problems.push(`${where}: '${String(binding.method)}' is not one of ${[...httpMethods].join(', ')}`)
    const params = binding.params ?? {}
    if (typeof params !== 'object' || Object.values(params).some((value) => typeof value !== 'string')) problems.push(`${where}: params must map names to strings`)
    for (const param of Object.keys(params)) {
      if (splitPath(binding.path).includes(`:${param}`)) problems.push(`${where}: '${param}' is both a constant and a path parameter of ${binding.path}`)
    }
  }
  return problems
}

/** The compiled route table: every mounted route with its final path, found by method and path. */
export interface RouteTable {
  readonly mountPath: string
  readonly routes: readonly TableRoute[]
  /** Shaping for every route (`responses`). */
  readonly responses: MountShape | undefined
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

function describeIssues(where: string, result: { success: boolean; error?: { issues: readonly { path: PropertyKey[]; message: string }[] } | undefined }): string[] {
  return result.success ? [] : (result.error?.issues ?? []).map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`)
}

/** Problems with the route options against the routes the features offer; empty when they fit. */
export function checkRouteOptions(routes: readonly RouteDefinition[], options: RouteOptions): string[] {
  const problems: string[] = []
  const offered = new Set(routes.map((route) => route.name))
  for (const [option, names] of [
    ['paths', Object.keys(options.paths ?? {})],
    ['disable', Array.isArray(options.disable) ? options.disable : []],
    ['only', Array.isArray(options.only) ? options.only : []],
    ['respond', Object.keys(options.respond ?? {})],
    ['shape', Object.keys(options.shape ?? {})],
  ] as const) {
    for (const name of names) {
      if (!offered.has(name)) problems.push(`${option}.${name}: is not a route of this gatehouse (${[...offered].join(', ')})`)
    }
  }
  if (options.disable !== undefined && !Array.isArray(options.disable)) problems.push('disable: must be a list of route names')
  if (options.only !== undefined && !Array.isArray(options.only)) problems.push('only: must be a list of route names')
  if (options.only !== undefined && options.disable !== undefined) problems.push('only and disable: give one of them (only names every route served)')
  if (Array.isArray(options.only)) {
    // Moving or shaping a route that `only` leaves out would be silently ignored.
    const served = new Set<string>(options.only)
    for (const [option, names] of [['paths', Object.keys(options.paths ?? {})], ['shape', Object.keys(options.shape ?? {})], ['respond', Object.keys(options.respond ?? {})]] as const) {
      for (const name of names) if (offered.has(name) && !served.has(name)) problems.push(`${option}.${name}: the route is not in only`)
    }
  }
  // An entry given as undefined keeps the route's own path or answer (exactOptionalPropertyTypes hosts write them).
  for (const [name, path] of Object.entries(options.paths ?? {})) {
    if (path !== undefined) problems.push(...checkPathOption(name, path))
  }
  for (const [name, shape] of Object.entries(options.shape ?? {})) {
    if (shape !== undefined) problems.push(...describeIssues(`shape.${name}`, routeShapeSchema.safeParse(shape)))
    const actAs = shape?.actAs
    const route = routes.find((candidate) => candidate.name === name)
    for (const param of Object.keys(shape?.paramFormats ?? {})) {
      if (route !== undefined && !readPathOptions(options.paths?.[name] ?? route.path).every((binding) => splitPath(binding.path).includes(`:${param}`))) {
        problems.push(`shape.${name}.paramFormats: every path of ${name} needs the ':${param}' parameter`)
      }
    }
    if (actAs !== undefined && route !== undefined && !readPathOptions(options.paths?.[name] ?? route.path).every((binding) => splitPath(binding.path).includes(`:${actAs.param}`))) {
      problems.push(`shape.${name}.actAs: every path of ${name} needs the ':${actAs.param}' parameter`)
    }
  }
  if (options.responses !== undefined) problems.push(...describeIssues('responses', mountShapeSchema.safeParse(options.responses)))
  for (const [name, hook] of Object.entries(options.respond ?? {})) {
    if (hook !== undefined && typeof hook !== 'function') problems.push(`respond.${name}: must be a function`)
  }
  if (options.mountPath !== undefined && !isRoutePath(options.mountPath)) problems.push("mountPath: must be a path starting with '/'")
  return problems
}

/**
 * Compiles the table once: applies `paths` (methods, aliases, bindings), `only`, `disable`, `shape` and `respond`. Answers the problems instead
 * when two routes collide. Static paths match by one Map lookup.
 */
export function compileRouteTable(routes: readonly RouteDefinition[], options: RouteOptions): RouteTable | string[] {
  const problems: string[] = []
  const disabled = new Set<string>(options.disable ?? [])
  const only = options.only === undefined ? null : new Set<string>(options.only)
  const paths: Partial<Record<string, PathOption | readonly PathOption[]>> = options.paths ?? {}
  const respond: Partial<Record<string, RespondHook>> = options.respond ?? {}
  const shapes: Partial<Record<string, RouteShape>> = options.shape ?? {}
  const staticRoutes = new Map<string, TableRoute>()
  const paramRoutes: TableRoute[] = []
  const entries: TableRoute[] = []
  for (const route of routes) {
    if (disabled.has(route.name) || (only !== null && !only.has(route.name))) continue
    const option = paths[route.name]
    for (const binding of option === undefined ? [{ path: route.path }] : readPathOptions(option)) {
      const segments = splitPath(binding.path)
      const method = binding.method ?? route.method
      const entry: TableRoute = { route, method, path: binding.path, segments, params: binding.params ?? {}, respond: respond[route.name], shape: shapes[route.name] }
      const key = `${method} /${segments.join('/')}`
      const clash = entries.find((other) => `${other.method} /${other.segments.join('/')}` === key)
      if (clash !== undefined) problems.push(`paths: ${route.name} and ${clash.route.name} both answer ${key}`)
      if (segments.some((segment) => segment.startsWith(':'))) paramRoutes.push(entry)
      else staticRoutes.set(key, entry)
      entries.push(entry)
    }
  }
  if (problems.length > 0) return problems
  const mountPath = (options.mountPath ?? defaultMountPath).replace(/\/$/, '')
  return {
    mountPath,
    routes: entries,
    responses: options.responses,
    find(method, path) {
      const segments = splitPath(path)
      const exact = staticRoutes.get(`${method} /${segments.join('/')}`)
      if (exact !== undefined) return { entry: exact, params: { ...exact.params } }
      for (const entry of paramRoutes) {
        if (entry.method !== method) continue
        const params = matchSegments(entry.segments, segments)
        if (params !== null) return { entry, params: { ...params, ...entry.params } }
      }
      return null
    },
    byName: (name, method) => entries.find((entry) => entry.route.name === name && (method === undefined || entry.method === method)),
  }
}
