import type { RequestListener } from 'node:http'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import {
  AuthError,
  createConsoleMailer,
  createGatehouse,
  toErrorResponse,
  type AuthContext,
  type Gatehouse,
  type GatehouseOptions,
  type RouteName,
  type ShapedError,
} from '../../src/index.js'
import { authRoutes } from '../../adapters/express/index.js'
import { type TenantDirectory, createTenantDirectory, isValidUserId } from './tenant-directory.js'
import { isPlainObject, mergeOptions } from '../shared/merge-options.js'

/**
 * Lagrello's auth API (seed 002, seed-contracts.md section 3) served by gatehouse: a tenant's
 * backend calls it with its admin token (`Authorization: Bearer ghp_...`) on users it names by
 * its own ids. L2 (send a magic link) is gatehouse's magicLinkSend route, shaped; L1, L3 and L4
 * are host routes over gate functions, since none of them is one of gatehouse's routes: L1 checks
 * a link without signing in, L3 checks a code for any user, L4 switches TOTP on or off by a flag.
 */
export interface LagrelloApp {
  listener: RequestListener
  gate: Gatehouse
  /** The host's tenants and their users' ids; how tenants, tokens and users come to exist. */
  tenants: TenantDirectory
}

/** The tenant's bearer token needs this scope. */
const adminScope = 'admin'

/** On L2 every 401 is about the caller's credentials, which Lagrello answers 403: it keeps 401 for the end user's secret. */
const callerRefusals = { UNAUTHENTICATED: 403, INVALID_CREDENTIALS: 403, INVALID_TOKEN: 403, SESSION_EXPIRED: 403, TOKEN_EXPIRED: 403 } as const

/** Lagrello's Error model ([ext] openapi.yaml): `{ message, errorType }`, errorType being gatehouse's stable code. */
const errorBody = (error: Pick<ShapedError, 'message' | 'code'>) => ({ message: error.message, errorType: error.code })

export async function createApp(options: Partial<GatehouseOptions> = {}): Promise<LagrelloApp> {
  // The resolver needs the directory and the directory the gate: it is filled in just below.
  let tenants: TenantDirectory | undefined
  const defaults: Partial<GatehouseOptions> = {
    secret: process.env.GATEHOUSE_SECRET ?? 'lagrello-demo-secret-lagrello-demo-secret',
    baseUrl: process.env.GATEHOUSE_BASE_URL ?? 'http://localhost:3000',
    mountPath: '/',
    delivery: { email: createConsoleMailer() },
    tokens: { scopes: [adminScope] },
    magicLinks: {
      lifetimeSeconds: 15 * 60,
      // The tenant's callbackUrl ([ext] `https://example.com/users/{}`): its page hands the token to its server, which calls L1.
      linkUrl: 'https://example.com/users/{token}',
      // Every call comes from a few tenant servers: the per-IP limit would throttle a whole tenant.
      rateLimits: { perIp: { max: 100_000, windowSeconds: 3600 } },
    },
    // L2 is gatehouse's magicLinkSend; L1, L3 and L4 are the host's routes below.
    only: ['magicLinkSend'],
    paths: { magicLinkSend: '/v1/users/:userId/email' },
    shape: {
      magicLinkSend: {
        actAs: {
          param: 'userId',
          scope: adminScope,
          resolveUser: (userId, { caller }) => {
            if (!isValidUserId(userId)) throw new AuthError('INVALID_REQUEST', { message: 'userId must be 1 to 128 characters.' })
            return tenants!.resolve(caller.user.id, userId)
          },
        },
        input: { body: { email: 'user:email' } },
        success: { status: 204 },
        errors: { status: callerRefusals, body: errorBody },
      },
    },
  }
  const gate = createGatehouse(mergeOptions(defaults, options) as GatehouseOptions)
  const directory = createTenantDirectory(gate)
  tenants = directory

  /** The calling tenant: an API token with the admin scope, or 403 (a session or password is no tenant's server). */
  async function tenantOf(req: Request): Promise<string> {
    let caller: AuthContext | null
    try {
      caller = await gate.authenticate({ method: req.method, headers: { get: (name) => req.get(name) ?? null }, ip: req.ip })
    } catch (error) {
      if (error instanceof AuthError && error.status < 500) throw new AuthError('FORBIDDEN', { message: 'The access token is wrong.' })
      throw error
    }
    if (caller === null) throw new AuthError('FORBIDDEN', { message: 'An access token is required.' })
    if (caller.token === undefined || caller.method === 'cookie') throw new AuthError('FORBIDDEN', { message: 'This API is for a tenant server holding an access token.' })
    if (!(caller.scopes ?? []).includes(adminScope)) throw new AuthError('SCOPE_MISSING')
    return caller.user.id
  }

  /** The gatehouse id of the tenant's user the path names, or 404. */
  function userOf(tenantId: string, req: Request): string {
    const userId = directory.resolve(tenantId, String(req.params.userId))
    if (userId === null) throw new AuthError('NOT_FOUND', { message: 'The user could not be found.' })
    return userId
  }

  /** The end user's secret from the query (`payload`): absent or absurd counts as wrong, 401. */
  function payloadOf(req: Request): string {
    const payload = req.query.payload
    if (typeof payload !== 'string' || payload.length === 0 || payload.length > 256) throw new AuthError('INVALID_TOKEN', { message: 'payload is missing or wrong.' })
    return payload
  }

  function answerError(res: Response, error: unknown, where: string): void {
    const response = toErrorResponse(error, gate.config.logger, where)
    for (const [name, value] of response.headers ?? []) res.setHeader(name, value)
    const { code, message } = (response.body as { error: { code: ShapedError['code']; message: string } }).error
    res.status(response.status).json(errorBody({ code, message }))
  }

  const app = express()
  app.disable('x-powered-by')
  app.use(express.json())
  app.use(authRoutes(gate)) // L2

  // L1: the user a magic-link token belongs to; the token is used up, and no session begins (the tenant makes its own).
  app.get('/v1/users/email', async (req, res) => {
    try {
      const tenantId = await tenantOf(req)
      const payload = payloadOf(req)
      const { user } = await gate.magicLinks.consume({ token: payload })
      const userId = directory.externalIdOf(tenantId, user.id)
      if (userId === null) throw new AuthError('NOT_FOUND', { message: 'The user could not be found.' })
      res.set('cache-control', 'no-store').json({ userId, email: user.email })
    } catch (error) {
      answerError(res, error, 'GET /v1/users/email')
    }
  })

  // L3: checks a TOTP code for the user; 401 for a wrong or replayed code, and when TOTP is off ("DO NOT authenticate").
  app.get('/v1/users/:userId/totp', async (req, res) => {
    try {
      const tenantId = await tenantOf(req)
      const userId = userOf(tenantId, req)
      const payload = payloadOf(req)
      const secondFactors = await gate.secondFactor.list({ userId })
      if (!secondFactors.includes('totp') || !(await gate.totp.verify({ userId, code: payload }))) {
        throw new AuthError('INVALID_CODE', { message: 'The TOTP code is wrong.' })
      }
      res.set('cache-control', 'no-store').json({ userId: String(req.params.userId), email: (await gate.storage.users.getById(userId))!.email })
    } catch (error) {
      answerError(res, error, 'GET /v1/users/:userId/totp')
    }
  })

  // L4: `{ enable: true }` turns TOTP on at once (a new secret each time), `{ enable: false }` off (204, also when it was off).
  app.post('/v1/users/:userId/totp', async (req, res) => {
    try {
      const tenantId = await tenantOf(req)
      const userId = userOf(tenantId, req)
      const enable = isPlainObject(req.body) ? req.body.enable : undefined
      if (typeof enable !== 'boolean') {
        throw new AuthError('INVALID_REQUEST', { message: 'The body must be { "enable": true } or { "enable": false }.', details: [{ path: 'enable', message: 'must be a boolean' }] })
      }
      if (!enable) {
        await gate.totp.disable({ userId })
        res.status(204).end()
        return
      }
      const enrolment = await gate.totp.enable({ userId, activate: true })
      const qrImage = `data:image/svg+xml;base64,${Buffer.from(enrolment.qrCodeSvg).toString('base64')}`
      res.set('cache-control', 'no-store').json({ secretKey: enrolment.secret, qrImage })
    } catch (error) {
      answerError(res, error, 'POST /v1/users/:userId/totp')
    }
  })

  // A body express.json() could not read (L4), in Lagrello's error shape.
  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type
    if (type === 'entity.parse.failed') answerError(res, new AuthError('INVALID_REQUEST', { message: 'The body is not valid JSON.' }), 'body parser')
    else if (type === 'entity.too.large') answerError(res, new AuthError('PAYLOAD_TOO_LARGE'), 'body parser')
    else next(error)
  }
  app.use(bodyErrors)
  app.use((_req, res) => res.status(404).json(errorBody({ code: 'NOT_FOUND', message: 'Not found.' })))
  return { listener: app, gate, tenants: directory }
}
