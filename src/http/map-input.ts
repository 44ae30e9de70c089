import { AuthError, type ErrorDetail } from '../errors/auth-error.js'
import type { UserRecord } from '../storage/ports.js'
import { readCookie } from './cookies.js'
import type { FieldSource, InputMapping } from './route-options.js'
import type { AuthRequest } from './types.js'

/** What `'user:...'` sources may read of the user an actAs route acts on. */
const userFields = new Set(['id', 'email', 'name'])

interface SourceRead {
  value: unknown
  /** The field of the same part the value came from, which the mapped part no longer shows under that name. */
  consumed?: { part: string; name: string }
}

async function readSource(req: AuthRequest, source: FieldSource, body: () => Promise<unknown>, actedOn: UserRecord | null): Promise<SourceRead> {
  if (typeof source === 'function') return { value: await source(req) }
  if (source === 'text') return { value: await req.readText?.() }
  const colon = source.indexOf(':')
  const part = source.slice(0, colon)
  const name = source.slice(colon + 1)
  switch (part) {
    case 'body': {
      const value = await body()
      return { value: isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined, consumed: { part, name } }
    }
    case 'query':
      return { value: req.query().get(name) ?? undefined, consumed: { part, name } }
    case 'header':
      return { value: req.headers.get(name.toLowerCase()) ?? undefined }
    case 'param':
      return { value: req.params[name], consumed: { part: 'params', name } }
    case 'cookie':
      return { value: readCookie(req.headers, name) }
    default:
      return { value: actedOn !== null && userFields.has(name) ? actedOn[name as 'id' | 'email' | 'name'] : undefined }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads each mapped field; a field whose source holds nothing is left out, so the route's schema names it as missing. */
async function readFields(
  req: AuthRequest,
  fields: Record<string, FieldSource>,
  body: () => Promise<unknown>,
  actedOn: UserRecord | null,
): Promise<{ values: Map<string, unknown>; consumed: { part: string; name: string }[] }> {
  const values = new Map<string, unknown>()
  const consumed: { part: string; name: string }[] = []
  for (const [field, source] of Object.entries(fields)) {
    const read = await readSource(req, source, body, actedOn)
    if (read.consumed !== undefined) consumed.push(read.consumed)
    if (read.value !== undefined) values.set(field, read.value)
  }
  return { values, consumed }
}

/**
 * The request as the route expects it: its body, query and parameters filled from the places
 * `mapping` names, before the route's own schema validates them (so a mapped field that is
 * missing or wrong answers the route's own 400). A mapping that reads `'text'` never parses the
 * body as JSON or a form.
 */
export async function mapInput(req: AuthRequest, mapping: InputMapping, actedOn: UserRecord | null): Promise<AuthRequest> {
  const readsText = Object.values({ ...mapping.body, ...mapping.query, ...mapping.params }).includes('text')
  let original: Promise<unknown> | undefined
  const body = () => (original ??= readsText ? Promise.resolve(undefined) : req.readBody())
  const part = async (fields: Record<string, FieldSource> | undefined) => (fields === undefined ? null : readFields(req, fields, body, actedOn))
  const [bodyFields, queryFields, paramFields] = [await part(mapping.body), await part(mapping.query), await part(mapping.params)]
  // Only a rename within one part hides the old name: `{ body: { email: 'body:auth' } }` drops `auth` from the body.
  const without = (part: string, fields: { consumed: { part: string; name: string }[] }) =>
    new Set(fields.consumed.filter((entry) => entry.part === part).map((entry) => entry.name))

  let mappedBody: Promise<unknown> | undefined
  if (bodyFields !== null) {
    const value = await body()
    const dropped = without('body', bodyFields)
    const result: Record<string, unknown> = {}
    if (isRecord(value)) for (const [key, field] of Object.entries(value)) if (!dropped.has(key)) result[key] = field
    for (const [key, field] of bodyFields.values) result[key] = field
    mappedBody = Promise.resolve(result)
  }
  let query: URLSearchParams | undefined
  if (queryFields !== null) {
    query = new URLSearchParams(req.query())
    for (const name of without('query', queryFields)) query.delete(name)
    for (const [key, field] of queryFields.values) query.set(key, String(field))
  }
  let params = req.params
  if (paramFields !== null) {
    params = { ...req.params }
    for (const name of without('params', paramFields)) delete params[name]
    for (const [key, field] of paramFields.values) params[key] = String(field)
  }
  return {
    method: req.method,
    path: req.path,
    headers: req.headers,
    get ip() {
      return req.ip
    },
    params,
    query: query === undefined ? () => req.query() : () => query,
    readBody: mappedBody === undefined ? () => body() : () => mappedBody!,
    ...(req.readText === undefined ? {} : { readText: () => req.readText!() }),
  }
}

/** The request's own name of a mapped field: `'body:auth'` -> 'auth'; null for sources with no field name (functions, 'text', 'user:'). */
function requestFieldName(source: FieldSource): string | null {
  if (typeof source !== 'string') return null
  const colon = source.indexOf(':')
  const part = source.slice(0, colon)
  return ['body', 'query', 'header', 'param', 'cookie'].includes(part) ? source.slice(colon + 1) : null
}

/**
 * A refusal's details named as the client sent the fields: a route validates `email`, but the
 * client of `{ body: { email: 'body:auth' } }` sent `auth`, so that is the path it must read.
 * Other errors, and details of fields that were not mapped, pass unchanged.
 */
export function nameDetailsAsSent(error: unknown, mapping: InputMapping): unknown {
  if (!(error instanceof AuthError) || error.details === undefined) return error
  const renames = new Map<string, string>()
  for (const fields of [mapping.params, mapping.query, mapping.body]) {
    for (const [field, source] of Object.entries(fields ?? {})) {
      const sent = requestFieldName(source)
      if (sent !== null) renames.set(field, sent)
    }
  }
  if (renames.size === 0) return error
  const details: ErrorDetail[] = error.details.map((detail) => {
    const [head = '', ...rest] = detail.path.split('.')
    const sent = renames.get(head)
    return sent === undefined ? detail : { ...detail, path: [sent, ...rest].join('.') }
  })
  return new AuthError(error.code, { message: error.message, details, headers: error.headers, cookies: error.cookies, expose: error.expose, cause: error.cause })
}
