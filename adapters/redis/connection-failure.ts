import { findInErrorChain, isNetworkFailure } from '../../src/storage/network-failure.js'

/** ioredis's own messages for a lost connection, a full offline queue or a command timeout. */
const CLIENT_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable",
  'Command timed out',
  'Command aborted due to connection close',
  'Reached the max retries per request limit',
  'connect ETIMEDOUT',
  'Socket timeout.',
  // Redis Cluster: no node answers, or the slots are moving (a failover).
  "Cluster isn't ready",
  'Failed to refresh slots cache',
  'Too many Cluster redirections',
  'None of startup nodes is available',
]

/** Server replies that mean "not now" (loading, failing over, out of memory), not "wrong command". */
const SERVER_REPLY_PREFIXES = ['LOADING ', 'BUSY ', 'MASTERDOWN ', 'READONLY ', 'TRYAGAIN ', 'CLUSTERDOWN ', 'OOM ', 'MISCONF ']

function isUnavailableError(candidate: unknown): boolean {
  if (!(candidate instanceof Error)) return false
  if (candidate.name === 'MaxRetriesPerRequestError' || candidate.name === 'ClusterAllFailedError') return true
  const { message } = candidate
  return (
    CLIENT_MESSAGES.some((known) => message.startsWith(known)) ||
    SERVER_REPLY_PREFIXES.some((prefix) => message.startsWith(prefix))
  )
}

/** True when an ioredis error means "Redis is unavailable" rather than "the command is wrong". */
export function isRedisUnavailable(error: unknown): boolean {
  return isNetworkFailure(error) || findInErrorChain(error, isUnavailableError)
}
