import type { BaseOptions, ResolvedConfig } from './config/base-options.js'
import { createWarnOnce } from './config/logger.js'
import { resolveOptions } from './config/resolve-options.js'
import type { Core, InstalledFeatures } from './core.js'
import { createPasswordHasher } from './crypto/password-hasher.js'
import { createBackgroundTasks } from './delivery/background-tasks.js'
import { ConfigError } from './errors/config-error.js'
import type { Feature, FeaturesApi, FeaturesOptions, FeaturesRouteName } from './features/feature.js'
import { FEATURES } from './features/index.js'
import { auditOptions } from './features/audit/audit-options.js'
import { createEventRecorder } from './features/audit/record-event.js'
import type { GuardNeeds } from './http/access-needs.js'
import type { AuthContext } from './http/auth-context.js'
import { authenticate } from './http/authenticate.js'
import { type Guard, type OptionalGuard, createGuard, createOptionalGuard } from './http/guard.js'
import { createPendingChecks } from './http/pending-checks.js'
import { type OpenApiDocument, type OpenApiOptions, describeOpenApi } from './http/open-api.js'
import { type Router, type RouterOptions, createRouter } from './http/router.js'
import { type RouteUrls, createRouteUrls } from './http/route-urls.js'
import type { CredentialRequest } from './http/types.js'
import { cacheStorage, decodeInvalidation } from './storage/cached-storage.js'
import { memoryStorage } from './storage/memory-storage.js'
import { createSessionCache } from './storage/session-cache.js'
import type { Storage } from './storage/ports.js'

type BuiltInFeatures = typeof FEATURES

/** What `createGatehouse` accepts: the core's options, each built-in feature's, and those of the host's own `features`. */
export type GatehouseOptions<Extra extends readonly Feature[] = readonly []> = BaseOptions<FeaturesRouteName<BuiltInFeatures> | FeaturesRouteName<Extra>> &
  FeaturesOptions<BuiltInFeatures> &
  FeaturesOptions<Extra> & {
    /** The host's own features, written like the built-in ones (README, "Your own feature"). */
    features?: Extra | undefined
  }

/** The resolved options as the host may read them: everything but the secrets. */
export type GatehouseConfig = Omit<ResolvedConfig, 'secret' | 'previousSecrets'>

/** One mounted route: its name, method and path relative to the mount path. */
export interface MountedRoute {
  name: string
  method: string
  path: string
}

/** What every gatehouse has, whatever features are installed. */
export interface GatehouseBase {
  readonly config: GatehouseConfig
  readonly storage: Storage
  /** Where authRoutes must be mounted ('' for the root): links are built with it. */
  readonly mountPath: string
  /** The mounted routes after `paths`, `only` and `disable`, in table order. */
  readonly routes: readonly MountedRoute[]
  /** Absolute URLs of the mounted routes (`gate.urls.of('magicLinkVerify').href`). */
  readonly urls: RouteUrls
  /** Who is calling (null when no credential); throws AuthError for a bad one. Pending sessions included. */
  authenticate(req: CredentialRequest): Promise<AuthContext | null>
  /** The per-request check behind requireAuth; validates `needs` once. */
  createGuard(needs?: GuardNeeds): Guard
  /** The per-request check behind optionalAuth: the caller's AuthContext, or undefined for no credentials or a pending session. */
  createOptionalGuard(): OptionalGuard
  /** The OpenAPI 3.1 document of the mounted routes as shaped (README, "Reproducing an existing API"). */
  openApi(options?: OpenApiOptions): OpenApiDocument
  /** Dispatches to the route table; `prefix` strips a path prefix first (Koa, or Express without a mount path). */
  createRouter(options?: RouterOptions): Router
  delivery: {
    /** Resolves once every message queued by a route so far was handed to the mailer or SMS sender (tests, graceful shutdown). */
    drain(): Promise<void>
  }
}

/** A configured gatehouse: what adapters mount, and each feature's operations for a host's own routes. */
export type Gatehouse<Extra extends readonly Feature[] = readonly []> = GatehouseBase & FeaturesApi<BuiltInFeatures> & FeaturesApi<Extra>

/** Merges the features' gate functions one namespace deep; two features may share a namespace, not a function. */
function mergeApis(core: Core, features: readonly Feature[], into: Record<string, unknown>): void {
  const reserved = new Set(Object.keys(into))
  for (const feature of features) {
    for (const [namespace, functions] of Object.entries(feature.gate?.(core) ?? {})) {
      if (reserved.has(namespace)) throw new ConfigError([`features: gate.${namespace} of feature '${feature.name}' is the core's own`])
      const existing = (into[namespace] ??= {}) as Record<string, unknown>
      for (const [name, fn] of Object.entries(functions as Record<string, unknown>)) {
        if (name in existing) throw new ConfigError([`features: gate.${namespace}.${name} of feature '${feature.name}' is already taken`])
        existing[name] = fn
      }
    }
  }
}

function installFeatures(features: readonly Feature[], getCore: () => Core): InstalledFeatures {
  return {
    loginOptions: () => Object.assign({}, ...features.map((feature) => feature.loginOptions?.(getCore()) ?? {})),
    async deleteUser(userId) {
      for (const feature of features) await feature.deleteUser?.(getCore(), userId)
    },
  }
}

/** The storage behind the near cache when `sessionCache` is set; it starts listening to the broadcast here. */
function withSessionCache(storage: Storage, config: ResolvedConfig): Storage {
  if (config.sessionCache === null) return storage
  const { broadcast } = config.sessionCache
  const cache = createSessionCache(config.sessionCache, config.clock)
  broadcast.subscribe({
    onMessage(message) {
      const invalidation = decodeInvalidation(message)
      if (invalidation !== null) cache.invalidate(invalidation)
    },
    onState: (listening) => cache.setListening(listening),
  })
  return cacheStorage(storage, cache, broadcast)
}

/** Validates every option once (one ConfigError lists all problems) and builds the gatehouse. */
export function createGatehouse<const Extra extends readonly Feature[] = readonly []>(options: GatehouseOptions<Extra>): Gatehouse<Extra> {
  const features: readonly Feature[] = [...FEATURES, ...(options.features ?? [])]
  const { config, featureOptions, table } = resolveOptions(options as BaseOptions & Record<string, unknown>, features, process.env.NODE_ENV)
  const storage = withSessionCache(options.storage === undefined ? memoryStorage() : (options.storage as Storage), config)
  const urls = createRouteUrls(config.baseUrl, table)
  const warnOnce = createWarnOnce(config.logger)
  const core: Core = {
    config,
    storage,
    passwords: createPasswordHasher(config.passwords.hashing, config.random),
    background: createBackgroundTasks(config.logger),
    urls,
    featureOptions,
    features: installFeatures(features, () => core),
    pendingChecks: createPendingChecks(),
    warnOnce,
    recordEvent: createEventRecorder(config, () => auditOptions.of(core).store, warnOnce),
    describeApi: (describe) => describeOpenApi(config, table, describe) as unknown as Record<string, unknown>,
  }
  const { secret: _secret, previousSecrets: _previousSecrets, ...publicConfig } = config
  const gate: GatehouseBase & Record<string, unknown> = {
    config: publicConfig,
    storage,
    mountPath: table.mountPath,
    routes: table.routes.map((entry) => ({ name: entry.route.name, method: entry.method, path: entry.path })),
    urls,
    async authenticate(req) {
      return (await authenticate(core, req))?.context ?? null
    },
    createGuard: (needs) => createGuard(core, needs),
    createOptionalGuard: () => createOptionalGuard(core),
    createRouter: (routerOptions) => createRouter(core, table, routerOptions),
    openApi: (openApiOptions) => describeOpenApi(config, table, openApiOptions),
    delivery: { drain: () => core.background.drain() },
  }
  mergeApis(core, features, gate)
  return gate as Gatehouse<Extra>
}
