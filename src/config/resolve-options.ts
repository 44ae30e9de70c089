import { z } from 'zod'
import { ConfigError } from '../errors/config-error.js'
import type { Feature } from '../features/feature.js'
import { type RouteTable, checkRouteOptions, compileRouteTable } from '../http/route-table.js'
import { storeNames } from '../storage/store-names.js'
import { listStartupWarnings } from './startup-warnings.js'
import { type BaseOptions, type ResolvedConfig, baseOptionsShape, checkBaseOptions, resolveBaseConfig } from './base-options.js'

export interface ResolvedOptions {
  config: ResolvedConfig
  featureOptions: Map<string, unknown>
  table: RouteTable
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(options)'
  return `${path}: ${issue.message}`
}

/** Two features with one name or one options key, or a key the core already uses. */
function checkFeatureList(features: readonly Feature[]): string[] {
  const problems: string[] = []
  const names = new Set<string>()
  const keys = new Set<string>(Object.keys(baseOptionsShape))
  for (const feature of features) {
    if (names.has(feature.name)) problems.push(`features: two features are named '${feature.name}'`)
    names.add(feature.name)
    const key = feature.options?.key
    if (key === undefined) continue
    if (keys.has(key)) problems.push(`features: the options key '${key}' of feature '${feature.name}' is already taken`)
    keys.add(key)
  }
  return problems
}

/** Stores an installed feature uses that `storage` lacks: silent memory in a multi-process deployment loses data. */
function checkStorage(storage: Record<string, unknown> | undefined, features: readonly Feature[]): string[] {
  if (storage === undefined) return []
  const problems: string[] = []
  for (const name of Object.keys(storage)) {
    if (!(storeNames as readonly string[]).includes(name)) problems.push(`storage.${name}: is not a known store (${storeNames.join(', ')})`)
  }
  const users = new Map<string, string[]>()
  for (const feature of features) {
    for (const store of feature.stores ?? []) users.set(store, [...(users.get(store) ?? []), feature.name])
  }
  for (const [store, by] of users) {
    if (storage[store] === undefined) {
      problems.push(`storage.${store}: is missing, and ${by.join(', ')} use it; pass one, or keep it in memory on purpose with \`${store}: memoryStorage().${store}\``)
    }
  }
  return problems
}

/**
 * Checks every option once, the features' own included, and lists every problem in one
 * ConfigError; then fills in defaults and compiles the route table.
 */
export function resolveOptions(options: BaseOptions & Record<string, unknown>, features: readonly Feature[], environment: string | undefined): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError(['(options): must be an object'])
  const shape: Record<string, z.ZodType> = { ...baseOptionsShape, features: z.array(z.unknown()).optional() }
  for (const feature of features) if (feature.options !== undefined) shape[feature.options.key] = feature.options.schema.optional()
  const parsed = z.object(shape).strict().safeParse(options)
  const routes = features.flatMap((feature) => feature.routes ?? [])
  const problems = [
    ...checkFeatureList(features),
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
    ...checkBaseOptions(options, environment),
    ...checkStorage(options.storage as Record<string, unknown> | undefined, features),
    ...checkRouteOptions(routes, options),
  ]
  if (problems.length > 0) throw new ConfigError(problems)

  const config = resolveBaseConfig(options, environment)
  for (const warning of listStartupWarnings(options, config, environment)) config.logger.warn(warning, { code: 'CONFIG_WARNING' })
  const featureOptions = new Map<string, unknown>()
  for (const feature of features) {
    if (feature.options !== undefined) featureOptions.set(feature.options.key, feature.options.resolve(options[feature.options.key], config))
  }
  const table = compileRouteTable(routes, options)
  if (Array.isArray(table)) throw new ConfigError(table)
  return { config, featureOptions, table }
}
