import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import {
  type AuthContext,
  type AuthErrorCode,
  type AuthRequest,
  type AuthResponse,
  type CredentialRequest,
  type GatehouseBase,
  type HeaderReader,
  type GuardNeeds,
  type OptionalGuard,
  AuthError,
  serializeCookie,
  toErrorResponse,
} from '../../src/index.js'
import { createNodeAuthRequest } from '../node/node-auth-request.js'
import { readNodeHeaders } from '../node/node-headers.js'

declare global {
  namespace Express {
    interface Request {
      /** Set by requireAuth, and by optionalAuth for a caller with valid credentials. */
      auth?: AuthContext
    }
  }
}

export type { AuthContext, GuardNeeds }

function writeResponse(res: Response, response: AuthResponse): void {
  res.status(response.status)
  for (const [name, value] of response.headers ?? []) res.setHeader(name, value)
  for (const cookie of response.cookies ?? []) res.append('Set-Cookie', serializeCookie(cookie))
  if (response.redirect !== undefined) res.setHeader('Location', response.redirect)
  if (response.body === undefined || response.status === 204 || response.status === 304) {
    res.end()
  } else if (typeof response.body === 'string') {
    res.send(response.body)
  } else {
    res.json(response.body)
  }
}

function toAuthRequest(req: Request, limitBytes: number): AuthRequest {
  return createNodeAuthRequest({
    method: req.method,
    path: req.path,
    headers: req.headers,
    queryString: () => (req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''),
    ip: () => req.ip,
    parsedBody: () => req.body as unknown,
    stream: req,
    limitBytes,
  })
}

/**
 * The auth routes as Express middleware, mounted where `createGatehouse({ mountPath })` says
 * (default '/auth'): `app.use('/auth', authRoutes(gate))`, or `app.use(authRoutes(gate))` and the
 * routes answer under the mount path. Mounted elsewhere, links in mails would point at the wrong
 * place: the first such request logs an error naming the fix. Requests that match no route go on.
 */
export function authRoutes(gate: GatehouseBase): RequestHandler {
  const mounted = gate.createRouter()
  const atRoot = gate.createRouter({ prefix: gate.mountPath })
  const limitBytes = gate.config.maxBodyBytes
  let warned = false
  return (req: Request, res: Response, next: NextFunction) => {
    let router = mounted
    if (req.baseUrl === '') router = atRoot
    else if (req.baseUrl !== gate.mountPath && !warned) {
      warned = true
      gate.config.logger.error(
        `authRoutes is mounted at '${req.baseUrl}' but createGatehouse({ mountPath }) is '${gate.mountPath || '/'}': ` +
          `links in mails point at the mount path; set mountPath: '${req.baseUrl}'`,
      )
    }
    router.dispatch(toAuthRequest(req, limitBytes)).then((response) => {
      if (response === null) next()
      else writeResponse(res, response)
    }, next)
  }
}

/**
 * What a guard reads of an Express request. A class, not an object literal with `get ip()`: V8
 * builds literals with accessors on a slow path, and on a guarded GET that literal cost ~15 µs of
 * CPU per request (measured with gatehouse's benchmark). The ip stays lazy, since Express computes it through proxy-addr
 * and only Basic credentials need it.
 */
class GuardRequest implements CredentialRequest {
  readonly method: string
  readonly headers: HeaderReader
  readonly #req: Request

  constructor(req: Request) {
    this.#req = req
    this.method = req.method
    this.headers = readNodeHeaders(req.headers)
  }

  get ip(): string | undefined {
    return this.#req.ip
  }

  /** Express's route parameters; read only by needs that name one. */
  get params(): Readonly<Record<string, string>> {
    // Express 5 gives wildcard parameters as arrays of segments.
    return Object.fromEntries(Object.entries(this.#req.params).map(([name, value]) => [name, Array.isArray(value) ? value.join('/') : value]))
  }
}

/** Runs a guard before the handler: its AuthContext goes to `req.auth`, its AuthError is answered as JSON. */
function guardRoute(gate: GatehouseBase, guard: OptionalGuard, where: string): RequestHandler {
  const { logger } = gate.config
  const fail = (res: Response, error: unknown): void => writeResponse(res, toErrorResponse(error, logger, where))
  return (req: Request, res: Response, next: NextFunction) => {
    const result = guard(new GuardRequest(req))
    // An in-process answer goes on in this tick: a promise hop here costs the host ~5% of its throughput.
    if (!(result instanceof Promise)) {
      if (result !== undefined) req.auth = result
      next()
      return
    }
    result.then(
      (auth) => {
        if (auth !== undefined) req.auth = auth
        next()
      },
      (error: unknown) => fail(res, error),
    )
  }
}

/**
 * Guards a host route: sets `req.auth`, or answers 401/403 with the JSON error body.
 * `app.get('/projects', requireAuth(gate), handler)`; `requireAuth(gate, { scopes: ['admin'] })`.
 */
export function requireAuth(gate: GatehouseBase, needs: GuardNeeds = {}): RequestHandler {
  return guardRoute(gate, gate.createGuard(needs), 'requireAuth')
}

/**
 * The caller of a handler behind requireAuth, typed as present: `getAuth(req).user.email` instead
 * of `req.auth!` (Express's types cannot narrow `req` from one middleware to the next). Throws
 * when no requireAuth ran before the handler, a wiring mistake that must not pass as anonymous.
 * Behind optionalAuth read `req.auth`, which may be undefined.
 */
export function getAuth(req: Request): AuthContext {
  if (req.auth === undefined) throw new Error('gatehouse getAuth(req): req.auth is not set; mount requireAuth(gate) before this handler')
  return req.auth
}

/**
 * For a host route anyone may call: sets `req.auth` when the request carries valid credentials and
 * leaves it undefined when it carries none (or a session still pending its second factor). Wrong,
 * expired or revoked credentials are answered 401 as by requireAuth, not served as anonymous.
 */
export function optionalAuth(gate: GatehouseBase): RequestHandler {
  return guardRoute(gate, gate.createOptionalGuard(), 'optionalAuth')
}

/** body-parser's error types, as gatehouse error codes. */
const parserErrorCodes: Record<string, AuthErrorCode> = {
  'entity.parse.failed': 'INVALID_JSON',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
}

/**
 * Renders errors that reach Express's error chain with gatehouse's JSON error body: AuthErrors,
 * and the host's own body parser rejecting a body before a gatehouse route ran (bad JSON, too
 * large). Anything else goes on to the host's next error handler. Mount it last.
 */
export function errorHandler(gate: GatehouseBase): ErrorRequestHandler {
  const { logger } = gate.config
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type
    const code = typeof type === 'string' ? parserErrorCodes[type] : undefined
    if (code !== undefined) {
      writeResponse(res, toErrorResponse(new AuthError(code, { message: 'The request body could not be read.' }), logger, 'body parser'))
    } else if (error instanceof AuthError) {
      writeResponse(res, toErrorResponse(error, logger, 'express'))
    } else {
      next(error)
    }
  }
}
