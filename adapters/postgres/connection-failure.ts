import { findInErrorChain, isNetworkFailure, readErrorCode } from '../../src/storage/network-failure.js'

/**
 * SQLSTATEs that mean the server is unreachable, restarting, overloaded or timed out,
 * as opposed to a bug or a constraint violation.
 */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled: statement_timeout fired
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
])

/** Messages pg and pg-pool use for their own timeouts and dead connections (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
]

function isUnavailableError(candidate: unknown): boolean {
  const code = readErrorCode(candidate)
  if (UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true
  const message = candidate instanceof Error ? candidate.message : ''
  return UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known))
}

/** True when a pg error means "PostgreSQL is unavailable" rather than "the query is wrong". */
export function isPostgresUnavailable(error: unknown): boolean {
  return isNetworkFailure(error) || findInErrorChain(error, isUnavailableError)
}
