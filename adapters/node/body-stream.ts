import { AuthError, type HeaderReader, parseBodyText } from '../../src/index.js'

function payloadTooLarge(limitBytes: number): AuthError {
  return new AuthError('PAYLOAD_TOO_LARGE', { message: `The request body is larger than ${limitBytes} bytes.` })
}

/**
 * 413 when the request declares a body over the limit. Runs whether or not the host's parser read
 * the body first, so the limit holds either way; a chunked body the host parsed has no declared
 * size, and there the host parser's own limit decides.
 */
export function checkDeclaredLength(headers: HeaderReader, limitBytes: number): void {
  const declared = headers.get('content-length')
  if (declared !== null && Number(declared) > limitBytes) throw payloadTooLarge(limitBytes)
}

/**
 * Reads a raw body stream (a Node IncomingMessage is one) up to `limitBytes` and parses JSON or
 * form data. Called only when the host did not parse the body already.
 */
export async function readBodyStream(
  stream: AsyncIterable<Uint8Array | string>,
  headers: HeaderReader,
  limitBytes: number,
): Promise<unknown> {
  const text = await readStreamText(stream, headers, limitBytes)
  return text === undefined ? undefined : parseBodyText(text, headers.get('content-type'))
}

/** Reads a raw body stream up to `limitBytes` as UTF-8 text; undefined for an empty one. */
export async function readStreamText(stream: AsyncIterable<Uint8Array | string>, headers: HeaderReader, limitBytes: number): Promise<string | undefined> {
  checkDeclaredLength(headers, limitBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    size += buffer.byteLength
    if (size > limitBytes) throw payloadTooLarge(limitBytes)
    chunks.push(buffer)
  }
  if (size === 0) return undefined
  return Buffer.concat(chunks).toString('utf8')
}
