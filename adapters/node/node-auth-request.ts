import { type AuthRequest, type HeaderReader, checkParsedBodyType, checkPlainText, parseBodyText } from '../../src/index.js'
import { checkDeclaredLength, readBodyStream, readStreamText } from './body-stream.js'
import { type NodeHeaderRecord, readNodeHeaders } from './node-headers.js'

/** A Node IncomingMessage as far as body reading needs it. */
export interface NodeBodyStream extends AsyncIterable<Uint8Array | string> {
  readonly readable: boolean
  readonly readableEnded: boolean
}

/** What the Express and Koa adapters hand over of a request; each field is read only when needed. */
export interface NodeRequestParts {
  method: string
  path: string
  headers: NodeHeaderRecord
  /** The query string without '?'. */
  queryString(): string
  /** The client address (the framework applies its proxy settings). */
  ip(): string | undefined
  /** What the host's body parser left: an object, text, a Buffer, or undefined. */
  parsedBody(): unknown
  stream: NodeBodyStream
  limitBytes: number
}

async function readBody(parts: NodeRequestParts, headers: HeaderReader): Promise<unknown> {
  checkDeclaredLength(headers, parts.limitBytes)
  const parsed = parts.parsedBody()
  if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) {
    const text = parsed.toString()
    return text === '' ? undefined : parseBodyText(text, headers.get('content-type'))
  }
  if (parsed !== undefined) {
    checkParsedBodyType(headers)
    return parsed
  }
  // A stream someone else consumed without leaving a body would never end: treat it as empty instead of hanging.
  if (parts.stream.readableEnded || !parts.stream.readable) return undefined
  return readBodyStream(parts.stream, headers, parts.limitBytes)
}

/** A text/plain body as text: from a host text parser (a string or Buffer), else from the stream. */
async function readText(parts: NodeRequestParts, headers: HeaderReader): Promise<string | undefined> {
  checkPlainText(headers)
  checkDeclaredLength(headers, parts.limitBytes)
  const parsed = parts.parsedBody()
  if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) return parsed.toString() || undefined
  if (parts.stream.readableEnded || !parts.stream.readable) return undefined
  return readStreamText(parts.stream, headers, parts.limitBytes)
}

/** The neutral request over a Node request, with the body read once and only when a route asks. */
export function createNodeAuthRequest(parts: NodeRequestParts): AuthRequest {
  const headers = readNodeHeaders(parts.headers)
  let body: Promise<unknown> | undefined
  let text: Promise<string | undefined> | undefined
  return {
    method: parts.method,
    path: parts.path,
    params: {},
    headers,
    get ip() {
      return parts.ip()
    },
    query: () => new URLSearchParams(parts.queryString()),
    readBody: () => {
      body ??= readBody(parts, headers)
      return body
    },
    readText: () => {
      text ??= readText(parts, headers)
      return text
    },
  }
}
