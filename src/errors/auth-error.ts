/** Stable, UPPER_SNAKE error codes a client can see. */
export type AuthErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'SECOND_FACTOR_REQUIRED'
  | 'CSRF_REJECTED'
  | 'SCOPE_MISSING'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'WEAK_PASSWORD'
  | 'RATE_LIMITED'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  // Codes of features in other modules; the union stays open so they need no edit here.
  | (string & {})

export interface AuthErrorOptions {
  /** Whether the message may be shown to the client. Defaults to true below 500. */
  expose?: boolean
  /** Extra machine-readable detail (validation issues). Never put secrets here. */
  details?: unknown
  /** Response headers that belong to the error, e.g. Retry-After. */
  headers?: [string, string][]
  cause?: unknown
}

/**
 * The one error class a client can cause. Carries `status` and `expose` so that Express's and
 * Koa's own error handlers can render it too.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError'
  readonly code: AuthErrorCode
  readonly status: number
  readonly expose: boolean
  readonly details: unknown
  readonly headers: [string, string][]

  constructor(code: AuthErrorCode, status: number, message: string, options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = status
    this.expose = options.expose ?? status < 500
    this.details = options.details
    this.headers = options.headers ?? []
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError
}

/** 429 with Retry-After in whole seconds (at least 1). */
export function rateLimited(retryAfterSeconds: number): AuthError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return new AuthError('RATE_LIMITED', 429, 'Too many attempts; try again later.', {
    headers: [['retry-after', String(seconds)]],
    details: { retryAfterSeconds: seconds },
  })
}

export function notFound(what = 'Resource'): AuthError {
  return new AuthError('NOT_FOUND', 404, `${what} not found.`)
}

export function unauthenticated(): AuthError {
  return new AuthError('UNAUTHENTICATED', 401, 'Authentication is required.')
}

/** A storage backend is down or timed out; guards must fail closed with this, never let a request through. */
export function storageUnavailable(cause?: unknown): AuthError {
  return new AuthError('STORAGE_UNAVAILABLE', 503, 'Storage is unavailable; try again shortly.', { cause })
}

export function csrfRejected(): AuthError {
  return new AuthError('CSRF_REJECTED', 403, 'Cross-origin requests with a session cookie are not allowed.')
}

export function secondFactorRequired(): AuthError {
  return new AuthError('SECOND_FACTOR_REQUIRED', 403, 'A second factor is required.')
}
