import type { CookieToSet } from '../http/types.js'
import { type AuthErrorCode, errorCatalogue } from './error-catalogue.js'

/** One problem with one input, named by the path of its field (`password`, `scopes.0`). */
export interface ErrorDetail {
  path: string
  message: string
}

export interface AuthErrorOptions {
  /** Replaces the catalogue's default message with one about this case. Never put secrets here. */
  message?: string | undefined
  /** Which inputs were wrong, and how. Never put secrets here. */
  details?: ErrorDetail[] | undefined
  /** Response headers that belong to the error, e.g. Retry-After. */
  headers?: [string, string][] | undefined
  /** Cookies the error answer sets, e.g. clearing a session cookie that no longer works. */
  cookies?: CookieToSet[] | undefined
  cause?: unknown
  /** Whether the message may be shown to the client. Defaults to true below 500. */
  expose?: boolean | undefined
}

/**
 * The one error class a client can cause; its status comes from the catalogue. Carries `status`
 * and `expose` so that Express's and Koa's own error handlers can render it too.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError'
  readonly code: AuthErrorCode
  readonly status: number
  readonly expose: boolean
  readonly details: ErrorDetail[] | undefined
  readonly headers: [string, string][]
  readonly cookies: CookieToSet[]

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    const { status, message } = errorCatalogue[code]
    super(options.message ?? message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = status
    this.expose = options.expose ?? status < 500
    this.details = options.details
    this.headers = options.headers ?? []
    this.cookies = options.cookies ?? []
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError
}

/** 429 with Retry-After in whole seconds (at least 1). */
export function rateLimited(retryAfterSeconds: number): AuthError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return new AuthError('RATE_LIMITED', { headers: [['retry-after', String(seconds)]] })
}

export function notFound(what = 'Resource'): AuthError {
  return new AuthError('NOT_FOUND', { message: `${what} not found.` })
}

export function unauthenticated(): AuthError {
  return new AuthError('UNAUTHENTICATED')
}

/** A storage backend is down or timed out; guards must fail closed with this, never let a request through. */
export function storageUnavailable(cause?: unknown): AuthError {
  return new AuthError('STORAGE_UNAVAILABLE', { cause })
}

export function csrfRejected(message?: string): AuthError {
  return new AuthError('CSRF_REJECTED', { message })
}

export function secondFactorRequired(): AuthError {
  return new AuthError('SECOND_FACTOR_REQUIRED')
}

/** 403: a token (sessions have every scope) without a scope the request needs. */
export function scopeMissing(scope: string): AuthError {
  return new AuthError('SCOPE_MISSING', { message: `This needs the '${scope}' scope.` })
}

/** 400: input that fails validation, each problem named by the path of its field. */
export function invalidRequest(details: ErrorDetail[]): AuthError {
  return new AuthError('INVALID_REQUEST', { details })
}
