import { AuthError } from '../errors/auth-error.js'
import type { HeaderReader } from './types.js'

/** The body formats gatehouse reads, by Content-Type; null for any other type, or none. */
export function readBodyMediaType(contentType: string | null): 'json' | 'form' | null {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  return null
}

function unsupportedMediaType(): AuthError {
  return new AuthError('UNSUPPORTED_MEDIA_TYPE')
}

/** Whether the request's framing announces a non-empty body (HTTP/1.1: a length above 0, or chunks). */
function declaresBody(headers: HeaderReader): boolean {
  return headers.get('transfer-encoding') !== null || Number(headers.get('content-length') ?? 0) > 0
}

/**
 * 415 for a body the host's own parser already read when its Content-Type is not one gatehouse
 * reads. A host parser may take types gatehouse refuses (express.json set to take every type), or
 * leave {} for a text body it skipped (koa-bodyparser): the rule of parseBodyText holds there too.
 */
export function checkParsedBodyType(headers: HeaderReader): void {
  if (declaresBody(headers) && readBodyMediaType(headers.get('content-type')) === null) throw unsupportedMediaType()
}

/**
 * Parses a non-empty body by its Content-Type. A body without one is refused, not guessed at:
 * another site's form or no-cors fetch can send text/plain or no type, but never JSON.
 */
export function parseBodyText(text: string, contentType: string | null): unknown {
  const mediaType = readBodyMediaType(contentType)
  if (mediaType === 'form') return Object.fromEntries(new URLSearchParams(text))
  if (mediaType === null) throw unsupportedMediaType()
  try {
    return JSON.parse(text)
  } catch {
    throw new AuthError('INVALID_JSON')
  }
}

/** Whether the Content-Type is text/plain (a body an input mapping may read as `'text'`). */
export function isPlainText(contentType: string | null): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'text/plain'
}

/** 415 unless the request's body is text/plain. */
export function checkPlainText(headers: HeaderReader): void {
  if (declaresBody(headers) && !isPlainText(headers.get('content-type'))) throw unsupportedMediaType()
}
