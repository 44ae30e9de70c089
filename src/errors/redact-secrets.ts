import { tokenPrefixes } from '../crypto/random-token.js'

const REDACTED = '[redacted]'

const QUOTED = /"[^"]*"|'[^']*'|`[^`]*`/g
const SECRET_ASSIGNMENT = /\b(password|passwd|pwd|secret|token|api[_-]?key|authorization|cookie)(\s*[=:]\s*)[^\s,;]+/gi
const PREFIXED_TOKEN = new RegExp(`\\b(?:${Object.values(tokenPrefixes).join('|')})[A-Za-z0-9_-]*`, 'g')
const URL_CREDENTIALS = /\/\/[^\s/@]+@/g
const EMAIL = /[^\s"'`<>()[\],;:]+@[^\s"'`<>()[\],;:]+/g
const LONG_RUN = /[A-Za-z0-9+/=_-]{16,}/g

/** Hashes, keys and tokens are long runs with digits (hex from 16 characters on); words and codes are not. */
function looksRandom(run: string): boolean {
  if (run.length >= 32) return true
  if (!/\d/.test(run)) return false
  return run.length >= 20 || /^[0-9a-f]+$/i.test(run)
}

/**
 * `text` (an error message on its way to the logger) with what may be a secret or personal data
 * replaced by `[redacted]`: quoted values (drivers quote the parameters they reject), values of
 * secret-sounding names, gatehouse tokens, credentials in URLs, e-mail addresses and long
 * base64 or hex runs. It errs towards redacting too much: a log line must never carry a secret.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(QUOTED, REDACTED)
    .replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`)
    .replace(PREFIXED_TOKEN, REDACTED)
    .replace(URL_CREDENTIALS, `//${REDACTED}@`)
    .replace(EMAIL, REDACTED)
    .replace(LONG_RUN, (run) => (looksRandom(run) ? REDACTED : run))
}
