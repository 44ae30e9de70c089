import { redactSecrets } from './redact-secrets.js'
import { readErrorCode } from '../storage/network-failure.js'

/**
 * An error as the logger may see it: its name, its code when it has one (pg's SQLSTATE, Node's
 * ECONNREFUSED) and its message, redacted, since driver messages can carry query parameters.
 */
export function describeErrorForLog(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown'
  const code = readErrorCode(error)
  return redactSecrets(`${error.name}${code === '' ? '' : ` [${code}]`}: ${error.message}`)
}
