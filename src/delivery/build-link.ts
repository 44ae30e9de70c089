import type { ResolvedConfig } from '../config/base-options.js'

/** An absolute link under baseUrl (its path kept): `path` plus one query parameter holding a secret. */
export function buildLink(config: ResolvedConfig, path: string, parameter: string, value: string): string {
  const base = config.baseUrl.pathname.replace(/\/$/, '')
  const url = new URL(`${base}${path}`, config.baseUrl.origin)
  url.searchParams.set(parameter, value)
  return url.href
}
