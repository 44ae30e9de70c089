import { equalsConstantTime } from '../crypto/constant-time.js'
import { AuthError } from '../errors/auth-error.js'
import { readCookie } from './cookies.js'
import type { DoubleSubmitCheck } from './route-options.js'
import type { AuthRequest } from './types.js'

/** Longer values are no CSRF token anyone issued; they are refused before hashing. */
const maxTokenLength = 512

/**
 * The double-submit CSRF check of a shaped route (`shape.<route>.doubleSubmit`): the body field
 * must equal the cookie, both present and non-empty, compared in constant time. A cross-site page
 * can make the browser send the cookie but cannot read it to put it in the body. 403
 * CSRF_REJECTED otherwise (map the status to reproduce an API that answers 400).
 */
export async function checkDoubleSubmit(req: AuthRequest, check: DoubleSubmitCheck): Promise<void> {
  const cookie = readCookie(req.headers, check.cookie)
  const body = await req.readBody()
  const field = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[check.field] : undefined
  const valid =
    typeof field === 'string' &&
    cookie !== undefined &&
    field.length > 0 &&
    field.length <= maxTokenLength &&
    cookie.length <= maxTokenLength &&
    equalsConstantTime(field, cookie)
  if (!valid) {
    throw new AuthError('CSRF_REJECTED', {
      message: `The ${check.field} field must equal the ${check.cookie} cookie.`,
      details: [{ path: check.field, message: 'does not match the CSRF cookie' }],
    })
  }
}
