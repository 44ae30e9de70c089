/** What building URLs needs of the route table (kept structural so the core's types import no route model). */
export interface MountedPaths {
  readonly mountPath: string
  byName(name: string): { segments: readonly string[] } | undefined
}

/** Absolute URLs of the mounted routes: baseUrl + mount path + the route's (possibly renamed) path. */
export interface RouteUrls {
  /** The URL of route `name`, its ':name' segments filled from `params`; throws when the route is not mounted. */
  of(name: string, params?: Record<string, string>): URL
  /** Whether the route is mounted (not disabled). */
  has(name: string): boolean
}

export function createRouteUrls(baseUrl: URL, table: MountedPaths): RouteUrls {
  const base = `${baseUrl.origin}${baseUrl.pathname.replace(/\/$/, '')}${table.mountPath}`
  return {
    has: (name) => table.byName(name) !== undefined,
    of(name, params = {}) {
      const entry = table.byName(name)
      if (entry === undefined) throw new Error(`gatehouse: route ${name} is not mounted, so no link to it can be built`)
      const path = entry.segments
        .map((segment) => {
          if (!segment.startsWith(':')) return segment
          const value = params[segment.slice(1)]
          if (value === undefined) throw new Error(`gatehouse: the link to ${name} needs its '${segment.slice(1)}' parameter`)
          return encodeURIComponent(value)
        })
        .join('/')
      return new URL(`${base}/${path}`)
    },
  }
}
