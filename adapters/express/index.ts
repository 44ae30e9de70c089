import type { NextFunction, Request, RequestHandler, Response } from 'express'
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

declare global {
  namespace Express {
    interface Request {
      /** Set by requireAuth. */
      auth?: AuthContext
    }
  }
}

export type { AuthContext, GuardNeeds, RouterOptions }

/** Options of authRoutes: the router options (paths, disable, respond, prefix). */
export type AuthRoutesOptions = RouterOptions

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

/** A body the host's parser left: an object (express.json, urlencoded), text or a Buffer (express.text/raw). */
function readBody(req: Request, limitBytes: number): Promise<unknown> {
  const headers = readNodeHeaders(req.headers)
  const parsed: unknown = req.body
  if (typeof parsed === 'string') return Promise.resolve(parsed === '' ? undefined : parseBodyText(parsed, headers.get('content-type')))
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed.length === 0 ? undefined : parseBodyText(parsed.toString('utf8'), headers.get('content-type')))
  if (parsed !== undefined) return Promise.resolve(parsed)
  // A stream someone else consumed without setting req.body would never end: treat it as empty instead of hanging.
  if (req.readableEnded || !req.readable) return Promise.resolve(undefined)
  return readBodyStream(req, headers, limitBytes)
}

function toAuthRequest(req: Request, limitBytes: number): AuthRequest {
  let body: Promise<unknown> | undefined
  return {
    method: req.method,
    path: req.path,
    params: {},
    headers: readNodeHeaders(req.headers),
    get ip() {
      return req.ip
    },
    query: () => new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''),
    readBody: () => {
      body ??= readBody(req, limitBytes)
      return body
    },
  }
}

/**
 * The auth routes as Express middleware: `app.use('/auth', authRoutes(gate))`. Requests that match
 * no route go on to the next handler. Options are checked once, here.
 */
export function authRoutes(gate: Gatehouse, options: AuthRoutesOptions = {}): RequestHandler {
  const router = gate.createRouter(options)
  const limitBytes = gate.config.maxBodyBytes
  return (req: Request, res: Response, next: NextFunction) => {
    router.dispatch(toAuthRequest(req, limitBytes)).then((response) => {
      if (response === null) next()
      else writeResponse(res, response)
    }, next)
  }
}

/**
 * Guards a host route: sets `req.auth`, or answers 401/403 with the JSON error body.
 * `app.get('/projects', requireAuth(gate), handler)`; `requireAuth(gate, { scopes: ['admin'] })`.
 */
export function requireAuth(gate: Gatehouse, needs: GuardNeeds = {}): RequestHandler {
  const guard = gate.createGuard(needs)
  const { logger } = gate.config
  return (req: Request, res: Response, next: NextFunction) => {
    guard({
      method: req.method,
      headers: readNodeHeaders(req.headers),
      get ip() {
        return req.ip
      },
    }).then(
      (auth) => {
        req.auth = auth
        next()
      },
      (error: unknown) => writeResponse(res, toErrorResponse(error, logger, 'requireAuth')),
    )
  }
}
