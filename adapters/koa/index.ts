import type { Context, Middleware, Next } from 'koa'
import {
  type AuthContext,
  type AuthRequest,
  type AuthResponse,
  type Gatehouse,
  type GuardNeeds,
  type RouterOptions,
  parseBodyText,
  readBodyStream,
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

/** A body a Koa body parser left on ctx.request.body, else the raw stream. */
function readBody(ctx: Context, limitBytes: number): Promise<unknown> {
  const headers = readNodeHeaders(ctx.req.headers)
  const parsed: unknown = (ctx.request as { body?: unknown }).body
  if (typeof parsed === 'string') return Promise.resolve(parsed === '' ? undefined : parseBodyText(parsed, headers.get('content-type')))
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed.length === 0 ? undefined : parseBodyText(parsed.toString('utf8'), headers.get('content-type')))
  if (parsed !== undefined) return Promise.resolve(parsed)
  if (ctx.req.readableEnded || !ctx.req.readable) return Promise.resolve(undefined)
  return readBodyStream(ctx.req, headers, limitBytes)
}

function toAuthRequest(ctx: Context, limitBytes: number): AuthRequest {
  let body: Promise<unknown> | undefined
  return {
    method: ctx.method,
    path: ctx.path,
    params: {},
    headers: readNodeHeaders(ctx.req.headers),
    get ip() {
      return ctx.ip
    },
    query: () => new URLSearchParams(ctx.querystring),
    readBody: () => {
      body ??= readBody(ctx, limitBytes)
      return body
    },
  }
}

/**
 * The auth routes as Koa middleware: `app.use(authRoutes(gate, { prefix: '/auth' }))`. Requests
 * that match no route go on downstream. Options are checked once, here.
 */
export function authRoutes(gate: Gatehouse, options: AuthRoutesOptions = {}): Middleware {
  const router = gate.createRouter(options)
  const limitBytes = gate.config.maxBodyBytes
  return async (ctx: Context, next: Next) => {
    const response = await router.dispatch(toAuthRequest(ctx, limitBytes))
    if (response === null) return next()
    writeResponse(ctx, response)
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
      auth = await guard({
        method: ctx.method,
        headers: readNodeHeaders(ctx.req.headers),
        get ip() {
          return ctx.ip
        },
      })
    } catch (error) {
      writeResponse(ctx, toErrorResponse(error, logger, 'requireAuth'))
      return
    }
    ctx.state.auth = auth
    await next()
  }
}
