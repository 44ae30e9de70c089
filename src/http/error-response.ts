import type { Logger } from '../config/logger.js'
import { describeErrorForLog } from '../errors/describe-error.js'
import { AuthError, type ErrorDetail } from '../errors/auth-error.js'
import { errorCatalogue } from '../errors/error-catalogue.js'
import type { AuthResponse } from './types.js'

/** The JSON error body `{ error: { code, message, details? } }` (README, "Errors"). Unexpected errors become a 500 with no detail and are logged. */
export function toErrorResponse(error: unknown, logger: Logger, where: string): AuthResponse {
  const known = error instanceof AuthError ? error : null
  if (known === null || known.status >= 500) {
    logger.error(`${where} failed: ${describeErrorForLog(error)}`, { code: known?.code ?? 'INTERNAL_ERROR' })
  }
  const failure = known ?? new AuthError('INTERNAL_ERROR')
  const body: { code: string; message: string; details?: ErrorDetail[] } = {
    code: failure.code,
    message: failure.expose ? failure.message : errorCatalogue.INTERNAL_ERROR.message,
  }
  if (failure.details !== undefined && failure.expose) body.details = failure.details
  return { status: failure.status, headers: failure.headers, cookies: failure.cookies, body: { error: body } }
}
