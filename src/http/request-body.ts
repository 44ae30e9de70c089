import { AuthError } from '../errors/auth-error.js'
import type { HeaderReader } from './types.js'

function payloadTooLarge(limitBytes: number): AuthError {
  return new AuthError('PAYLOAD_TOO_LARGE', { message: `The request body is larger than ${limitBytes} bytes.` })
}

/**
 * Reads a raw body stream (a Node IncomingMessage is one) up to `limitBytes` and parses JSON or
 * form data. Adapters call it only when the host did not parse the body already.
 */
export async function readBodyStream(
  stream: AsyncIterable<Uint8Array | string>,
  headers: HeaderReader,
  limitBytes: number,
): Promise<unknown> {
  const declared = headers.get('content-length')
  if (declared !== null && Number(declared) > limitBytes) throw payloadTooLarge(limitBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    size += buffer.byteLength
    if (size > limitBytes) throw payloadTooLarge(limitBytes)
    chunks.push(buffer)
  }
  if (size === 0) return undefined
  return parseBodyText(Buffer.concat(chunks).toString('utf8'), headers.get('content-type'))
}

/** The body formats gatehouse reads, by Content-Type; null for any other type, or none. */
export function readBodyMediaType(contentType: string | null): 'json' | 'form' | null {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  return null
}

export function unsupportedMediaType(): AuthError {
  return new AuthError('UNSUPPORTED_MEDIA_TYPE')
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
