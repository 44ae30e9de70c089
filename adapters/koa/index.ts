import type { Context, DefaultState, Middleware, Next } from 'koa'
import {
  type AuthContext,
  type AuthRequest,
  type AuthResponse,
  type CredentialRequest,
  type GatehouseBase,
  ConfigError,
  type HeaderReader,
  type GuardNeeds,
  type OptionalGuard,
  serializeCookie,
  toErrorResponse,
} from '../../src/index.js'
import { createNodeAuthRequest } from '../node/node-auth-request.js'
import { readNodeHeaders } from '../node/node-headers.js'

declare module 'koa' {
  interface DefaultState {
    /** Set by requireAuth, and by optionalAuth for a caller with valid credentials. */
    auth?: AuthContext
  }
}

export type { AuthContext, GuardNeeds }

/** `ctx.state` behind requireAuth: the caller is always there, so handlers read `ctx.state.auth.user` without `!`. */
export interface AuthenticatedState {
  auth: AuthContext
}

/** `ctx.state` behind optionalAuth: the caller, or undefined for an anonymous request. */
export interface OptionalAuthState {
  auth?: AuthContext
}

/**
 * A middleware that sets `ctx.state.auth`. It takes any context (a host may call it by hand), and
 * Koa and @koa/router type the middleware after it with `State`: TypeScript infers from the last
 * of the two signatures.
 */
export type AuthMiddleware<State> = Middleware<DefaultState> & Middleware<State>

export interface AuthRoutesOptions {
  /**
   * Where the routes live in `ctx.path`. Default: the gate's mount path. '/' when the host strips
   * the mount path itself (koa-mount); any other value must equal `createGatehouse({ mountPath })`,
   * since links in mails are built from it.
   */
  prefix?: string | undefined
}

function writeResponse(ctx: Context, response: AuthResponse): void {
  ctx.status = response.status
  for (const [name, value] of response.headers ?? []) ctx.set(name, value)
  for (const cookie of response.cookies ?? []) ctx.append('Set-Cookie', serializeCookie(cookie))
  if (response.redirect !== undefined) ctx.set('Location', response.redirect)
  if (response.status === 204 || response.status === 304) return
  if (response.body !== undefined) {
    ctx.body = response.body
    return
  }
  // Without a body Koa would write the status text ('Accepted', 'See Other'); Express writes nothing.
  ctx.body = ''
  ctx.remove('Content-Type')
}

function toAuthRequest(ctx: Context, limitBytes: number): AuthRequest {
  return createNodeAuthRequest({
    method: ctx.method,
    path: ctx.path,
    headers: ctx.req.headers,
    queryString: () => ctx.querystring,
    ip: () => ctx.ip,
    // Koa body parsers (@koa/bodyparser, koa-body) leave the body on ctx.request.body.
    parsedBody: () => (ctx.request as { body?: unknown }).body,
    stream: ctx.req,
    limitBytes,
  })
}

/**
 * The auth routes as Koa middleware: `app.use(authRoutes(gate))` answers under the gate's mount
 * path (`createGatehouse({ mountPath })`, default '/auth'). Requests that match no route go on
 * downstream. Options are checked once, here.
 */
export function authRoutes(gate: GatehouseBase, options: AuthRoutesOptions = {}): Middleware {
  const mountPath = gate.mountPath || '/'
  const prefix = options.prefix ?? mountPath
  if (prefix !== '/' && prefix.replace(/\/$/, '') !== gate.mountPath) {
    throw new ConfigError([`authRoutes prefix: '${prefix}' is not the mount path '${mountPath}'; set createGatehouse({ mountPath: '${prefix}' }) so links in mails point here`])
  }
  const router = gate.createRouter({ prefix })
  const limitBytes = gate.config.maxBodyBytes
  // With prefix '/' the host strips the mount path (koa-mount); the first request shows where it mounted us.
  let checked = prefix !== '/'
  return async (ctx: Context, next: Next) => {
    if (!checked) {
      checked = true
      const original = ctx.originalUrl.split('?', 1)[0]!
      const mountedAt = original.endsWith(ctx.path) ? original.slice(0, original.length - ctx.path.length) : original
      if (mountedAt !== gate.mountPath) {
        gate.config.logger.error(
          `authRoutes is mounted at '${mountedAt || '/'}' but createGatehouse({ mountPath }) is '${mountPath}': ` +
            `links in mails point at the mount path; set mountPath: '${mountedAt || '/'}'`,
        )
      }
    }
    // Koa runs this middleware for every request of the app. Requests outside the prefix (the host's
    // own routes) go straight on, without building an AuthRequest and awaiting the router, which
    // cost them ~15-20 µs of CPU each (measured with gatehouse's benchmark).
    if (!router.coversPath(ctx.path)) return next()
    const response = await router.dispatch(toAuthRequest(ctx, limitBytes))
    if (response === null) return next()
    writeResponse(ctx, response)
  }
}

/**
 * What a guard reads of a Koa request. A class, not an object literal with `get ip()`: V8 builds
 * literals with accessors on a slow path, which showed up as CPU per guarded request in
 * gatehouse's benchmark. The ip stays lazy (only Basic credentials need it).
 */
class GuardRequest implements CredentialRequest {
  readonly method: string
  readonly headers: HeaderReader
  readonly #ctx: Context

  constructor(ctx: Context) {
    this.#ctx = ctx
    this.method = ctx.method
    this.headers = readNodeHeaders(ctx.req.headers)
  }

  get ip(): string | undefined {
    return this.#ctx.ip
  }

  /** @koa/router's route parameters (ctx.params); read only by needs that name one. */
  get params(): Readonly<Record<string, string>> {
    return (this.#ctx as { params?: Record<string, string> }).params ?? {}
  }
}

/** Runs a guard before the downstream middleware: its AuthContext goes to `ctx.state.auth`, its AuthError is answered as JSON. */
function guardRoute(gate: GatehouseBase, guard: OptionalGuard, where: string): Middleware {
  const { logger } = gate.config
  const admit = (ctx: Context, next: Next, auth: AuthContext | undefined): Promise<void> => {
    if (auth !== undefined) ctx.state.auth = auth
    return next()
  }
  const fail = (ctx: Context, error: unknown): void => writeResponse(ctx, toErrorResponse(error, logger, where))
  return (ctx: Context, next: Next) => {
    const result = guard(new GuardRequest(ctx))
    // An in-process answer goes on in this tick, without the promise hops of an async middleware.
    if (!(result instanceof Promise)) return admit(ctx, next, result)
    return result.then((auth) => admit(ctx, next, auth), (error: unknown) => fail(ctx, error))
  }
}

/**
 * Guards a host route: sets `ctx.state.auth`, or answers 401/403 with the JSON error body.
 * `router.get('/projects', requireAuth(gate), handler)`: the handler's `ctx.state.auth` is typed
 * as present (Koa and @koa/router carry the state type from one middleware to the next).
 */
export function requireAuth(gate: GatehouseBase, needs: GuardNeeds = {}): AuthMiddleware<AuthenticatedState> {
  return guardRoute(gate, gate.createGuard(needs), 'requireAuth')
}

/**
 * For a host route anyone may call: sets `ctx.state.auth` when the request carries valid
 * credentials and leaves it undefined when it carries none (or a session still pending its second
 * factor). Wrong, expired or revoked credentials are answered 401 as by requireAuth, not served as anonymous.
 */
export function optionalAuth(gate: GatehouseBase): AuthMiddleware<OptionalAuthState> {
  return guardRoute(gate, gate.createOptionalGuard(), 'optionalAuth')
}
