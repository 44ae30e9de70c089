import type { Core } from '../../core.js'
import { AuthError } from '../../errors/auth-error.js'
import { weakPassword } from '../../errors/credential-errors.js'
import { sha1Hex } from '../../crypto/sha1.js'

/** A padded range answer is about 40 KB; anything far larger is not the protocol. */
const maxRangeBytes = 1024 * 1024

async function readBoundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxRangeBytes) {
      await reader.cancel()
      throw new Error(`range answer over ${maxRangeBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** How often the range answer says the suffix was seen; padding lines (count 0) are not breaches. */
function countIn(rangeText: string, suffix: string): number {
  for (const line of rangeText.split('\n')) {
    const [candidate, count] = line.trim().split(':')
    if (candidate?.toUpperCase() === suffix) return Number(count) || 0
  }
  return 0
}

/**
 * Refuses a new password that appears in known breaches, asking a k-anonymity range API (the
 * Have I Been Pwned protocol): only the first 5 hex characters of the password's SHA-1 leave the
 * process, with `Add-Padding` so the answer's size says nothing either. When the API cannot be
 * asked in time, `failOpen` decides: accept (with one warning) or 503 PASSWORD_CHECK_UNAVAILABLE.
 */
export async function checkBreachedPassword(core: Core, password: string, path: string): Promise<void> {
  const options = core.config.passwords.breachCheck
  if (options === null) return
  const hash = sha1Hex(password).toUpperCase()
  const prefix = hash.slice(0, 5)
  let count: number
  try {
    const response = await fetch(`${options.rangeUrl}${prefix}`, {
      headers: { 'add-padding': 'true', 'user-agent': 'gatehouse' },
      signal: AbortSignal.timeout(options.timeoutMilliseconds),
      redirect: 'error',
    })
    if (response.status !== 200) throw new Error(`range API answered ${response.status}`)
    count = countIn(await readBoundedText(response), hash.slice(5))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (options.failOpen) {
      core.warnOnce('breach-check', `The breached-password check could not ask ${options.rangeUrl} (${reason}); passwords are accepted unchecked while it fails (failOpen).`)
      return
    }
    throw new AuthError('PASSWORD_CHECK_UNAVAILABLE', { cause: error })
  }
  if (count >= options.minBreachCount) {
    throw weakPassword(path, [`appears in ${count} known data breach${count === 1 ? '' : 'es'}; choose another`])
  }
}
