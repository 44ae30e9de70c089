import type { Context, Middleware, Next } from 'koa'
import {
  type AuthContext,
  type AuthRequest,
  type AuthResponse,
  type CredentialRequest,
  type Gatehouse,
  type HeaderReader,
  type GuardNeeds,
  type RouterOptions,
  createNodeAuthRequest,
  readNodeHeaders,
  serializeCookie,
  toErrorResponse,
} from '../../src/index.js'

declare module 'koa' {
  interface DefaultState {
    /** Set by requireAuth. */
    auth?: AuthContext
  }
}

export type { AuthContext, GuardNeeds, RouterOptions }

/** Options of authRoutes: the router options; `prefix` is where the routes live, e.g. '/auth'. */
export type AuthRoutesOptions = RouterOptions

function writeResponse(ctx: Context, response: AuthResponse): void {
  ctx.status = response.status
  for (const [name, value] of response.headers ?? []) ctx.set(name, value)
  for (const cookie of response.cookies ?? []) ctx.append('Set-Cookie', serializeCookie(cookie))
  if (response.redirect !== undefined) ctx.set('Location', response.redirect)
  if (response.body !== undefined && response.status !== 204 && response.status !== 304) ctx.body = response.body
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
 * The auth routes as Koa middleware: `app.use(authRoutes(gate, { prefix: '/auth' }))`. Requests
 * that match no route go on downstream. Options are checked once, here.
 */
export function authRoutes(gate: Gatehouse, options: AuthRoutesOptions = {}): Middleware {
  const router = gate.createRouter(options)
  const limitBytes = gate.config.maxBodyBytes
  return async (ctx: Context, next: Next) => {
    // Koa runs this middleware for every request of the app. Requests outside the prefix (the host's
    // own routes) go straight on, without building an AuthRequest and awaiting the router, which
    // cost them ~15-20 µs of CPU each (npm run bench).
    if (!router.coversPath(ctx.path)) return next()
    const response = await router.dispatch(toAuthRequest(ctx, limitBytes))
    if (response === null) return next()
    writeResponse(ctx, response)
  }
}

/**
 * What a guard reads of a Koa request. A class, not an object literal with `get ip()`: V8 builds
 * literals with accessors on a slow path, which showed up as CPU per guarded request in
 * npm run bench. The ip stays lazy (only Basic credentials need it).
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
}

/**
 * Guards a host route: sets `ctx.state.auth`, or answers 401/403 with the JSON error body.
 * `router.get('/projects', requireAuth(gate), handler)`.
 */
export function requireAuth(gate: Gatehouse, needs: GuardNeeds = {}): Middleware {
  const guard = gate.createGuard(needs)
  const { logger } = gate.config
  return async (ctx: Context, next: Next) => {
    let auth: AuthContext
    try {
      auth = await guard(new GuardRequest(ctx))
    } catch (error) {
      writeResponse(ctx, toErrorResponse(error, logger, 'requireAuth'))
      return
    }
    ctx.state.auth = auth
    await next()
  }
}
