/** Node's socket and DNS error codes that mean "the server could not be reached or went away". */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** How deep to follow `cause` and AggregateError chains; drivers nest at most two or three levels. */
const MAX_CAUSE_DEPTH = 4

/**
 * True when `error`, or an error it wraps, matches `isFailure`. Follows `cause` and the members
 * of an AggregateError (Node reports a failed dual-stack connect as one).
 */
export function findInErrorChain(error: unknown, isFailure: (candidate: unknown) => boolean, depth = 0): boolean {
  if (depth > MAX_CAUSE_DEPTH || error === null || typeof error !== 'object') return false
  if (isFailure(error)) return true
  if (error instanceof AggregateError && error.errors.some((member) => findInErrorChain(member, isFailure, depth + 1))) {
    return true
  }
  return 'cause' in error && findInErrorChain(error.cause, isFailure, depth + 1)
}

/** A socket-level failure, wherever it sits in the error chain. */
export function isNetworkFailure(error: unknown): boolean {
  return findInErrorChain(error, (candidate) => NETWORK_ERROR_CODES.has(readErrorCode(candidate)))
}

export function readErrorCode(error: unknown): string {
  if (error === null || typeof error !== 'object' || !('code' in error)) return ''
  return typeof error.code === 'string' ? error.code : ''
}
