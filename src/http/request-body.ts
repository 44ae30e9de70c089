import { AuthError } from '../errors/auth-error.js'
import type { HeaderReader } from './types.js'

function payloadTooLarge(limitBytes: number): AuthError {
  return new AuthError('PAYLOAD_TOO_LARGE', 413, `The request body is larger than ${limitBytes} bytes.`)
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

export function parseBodyText(text: string, contentType: string | null): unknown {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text))
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    try {
      return JSON.parse(text)
    } catch {
      throw new AuthError('INVALID_JSON', 400, 'The request body is not valid JSON.')
    }
  }
  throw new AuthError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the body as application/json or application/x-www-form-urlencoded.')
}
