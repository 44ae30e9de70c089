import { z } from 'zod'
import type { ResolvedConfig } from '../config/base-options.js'
import type { InputMapping } from './route-options.js'
import type { RouteTable, TableRoute } from './route-table.js'

/** `gate.openApi(options)`: which server the document names, and its title and version. */
export interface OpenApiOptions {
  /** Where the routes answer when not at the mount path (the router's own `prefix`). Default: the mount path. */
  prefix?: string | undefined
  /** Default 'gatehouse'. */
  title?: string | undefined
  /** Default '1.0.0'. */
  version?: string | undefined
}

type JsonSchema = Record<string, unknown>

/** An OpenAPI 3.1 document, as JSON. */
export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string }
  servers: { url: string }[]
  paths: Record<string, Record<string, unknown>>
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> }
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: JsonSchema
}

const errorBodySchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
}

/** A zod schema as JSON Schema (what a client sends); a schema zod cannot express becomes "any JSON". */
function toJsonSchema(schema: z.ZodType | undefined): JsonSchema | undefined {
  if (schema === undefined) return undefined
  try {
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
    return json
  } catch {
    return {}
  }
}

function objectParts(schema: JsonSchema | undefined): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>
  return { properties: { ...properties }, required: new Set((schema?.required ?? []) as string[]) }
}

/** The parameters and body a client sends once `mapping` moved the route's fields elsewhere. */
function describeInputs(entry: TableRoute, mapping: InputMapping | undefined) {
  const { input } = entry.route
  const parameters: Parameter[] = []
  for (const segment of entry.segments) {
    if (!segment.startsWith(':')) continue
    const format = entry.shape?.paramFormats?.[segment.slice(1)]
    parameters.push({ name: segment.slice(1), in: 'path', required: true, schema: { type: 'string', ...(format === undefined ? {} : { pattern: format.source }) } })
  }
  const query = objectParts(toJsonSchema(input?.query))
  const body = objectParts(toJsonSchema(input?.body))
  let text = false
  const moveFields = (part: { properties: Record<string, JsonSchema>; required: Set<string> }, fields: InputMapping['body'], ownPart: 'body' | 'query') => {
    for (const [field, source] of Object.entries(fields ?? {})) {
      const schema = part.properties[field] ?? {}
      const required = part.required.has(field)
      delete part.properties[field]
      part.required.delete(field)
      if (typeof source === 'function') continue
      if (source === 'text') {
        text = true
        continue
      }
      const [where, name] = [source.slice(0, source.indexOf(':')), source.slice(source.indexOf(':') + 1)]
      if (where === ownPart || (where === 'body' && ownPart === 'query')) {
        const target = where === 'body' ? body : query
        target.properties[name] = schema
        if (required) target.required.add(name)
      } else if (where === 'query' && ownPart === 'body') {
        query.properties[name] = schema
        if (required) query.required.add(name)
      } else if (where === 'header' || where === 'cookie') {
        parameters.push({ name, in: where, required, schema })
      }
    }
  }
  moveFields(body, mapping?.body, 'body')
  moveFields(query, mapping?.query, 'query')
  // A route parameter filled from elsewhere (Pupil's `type` in the body names the provider) is sent there.
  const params = objectParts(toJsonSchema(input?.params))
  for (const [field, source] of Object.entries(mapping?.params ?? {})) {
    if (typeof source === 'function' || source === 'text') continue
    const [where, name] = [source.slice(0, source.indexOf(':')), source.slice(source.indexOf(':') + 1)]
    const schema = params.properties[field] ?? { type: 'string' }
    const required = input?.params === undefined || params.required.has(field)
    if (where === 'body' || where === 'query') {
      const target = where === 'body' ? body : query
      target.properties[name] = schema
      if (required) target.required.add(name)
    } else if (where === 'header' || where === 'cookie') {
      parameters.push({ name, in: where, required, schema })
    }
  }
  const doubleSubmit = entry.shape?.doubleSubmit
  if (doubleSubmit !== undefined) {
    body.properties[doubleSubmit.field] = { type: 'string', description: `Equal to the ${doubleSubmit.cookie} cookie (double-submit CSRF token).` }
    body.required.add(doubleSubmit.field)
    parameters.push({ name: doubleSubmit.cookie, in: 'cookie', required: true, schema: { type: 'string' } })
  }
  for (const [name, schema] of Object.entries(query.properties)) parameters.push({ name, in: 'query', required: query.required.has(name), schema })
  const bodySchema: JsonSchema = { type: 'object', properties: body.properties, ...(body.required.size > 0 ? { required: [...body.required] } : {}) }
  let requestBody: unknown
  if (text) requestBody = { required: true, content: { 'text/plain': { schema: { type: 'string' } } } }
  else if (input?.body !== undefined || Object.keys(body.properties).length > 0) {
    requestBody = { required: body.required.size > 0, content: { 'application/json': { schema: bodySchema }, 'application/x-www-form-urlencoded': { schema: bodySchema } } }
  }
  return { parameters, requestBody }
}

function securitySchemes(config: ResolvedConfig): Record<string, unknown> {
  const schemes: Record<string, unknown> = {
    bearer: { type: 'http', scheme: 'bearer', description: 'A session token (ghs_) or an API token (ghp_).' },
    basic: { type: 'http', scheme: 'basic', description: 'email:password, or <api token>:api_token.' },
    apiKey: { type: 'apiKey', in: 'header', name: config.tokens.apiKeyHeader },
    accessClient: { type: 'apiKey', in: 'header', name: config.tokens.accessClientHeader },
    sessionCookie: { type: 'apiKey', in: 'cookie', name: config.cookie.name },
  }
  const { sessionTokenHeader, splitSessionCookie } = config.authenticate
  if (sessionTokenHeader !== null) schemes.sessionHeader = { type: 'apiKey', in: 'header', name: sessionTokenHeader }
  if (splitSessionCookie !== null) schemes.splitSessionCookie = { type: 'apiKey', in: 'cookie', name: splitSessionCookie, description: 'The second half of a split session token; the session-token header holds the first.' }
  return schemes
}

function describeSecurity(entry: TableRoute, schemes: Record<string, unknown>): Record<string, string[]>[] | undefined {
  if (entry.shape?.actAs !== undefined) return ['bearer', 'apiKey', 'accessClient'].map((name) => ({ [name]: [] }))
  if (entry.route.access === 'public') return undefined
  return Object.keys(schemes)
    .filter((name) => name !== 'splitSessionCookie')
    .map((name) => (name === 'sessionHeader' && 'splitSessionCookie' in schemes ? { sessionHeader: [], splitSessionCookie: [] } : { [name]: [] }))
}

function describeResponses(entry: TableRoute, table: RouteTable): Record<string, unknown> {
  const success = entry.shape?.success
  const status = typeof success?.status === 'number' ? success.status : 200
  const responses: Record<string, unknown> = {}
  responses[String(status)] =
    status === 204 || success?.body === 'empty' ? { description: 'Success, no body.' } : { description: 'Success.', content: { 'application/json': { schema: {} } } }
  const errors = { ...table.responses?.errors, ...entry.shape?.errors, status: { ...table.responses?.errors?.status, ...entry.shape?.errors?.status } }
  const errorSchema = errors.body === undefined ? { $ref: '#/components/schemas/Error' } : {}
  for (const [code, mapped] of Object.entries(errors.status)) {
    if (mapped !== undefined) responses[String(mapped)] = { description: `Refused (${code} and others).`, content: { 'application/json': { schema: errorSchema } } }
  }
  responses.default = { description: 'Refused: a 4xx with a stable code.', content: { 'application/json': { schema: errorSchema } } }
  return responses
}

/**
 * The OpenAPI 3.1 document of a mount as shaped: every mounted path and method (aliases and
 * bindings included), the inputs the route's schemas declare after input mapping, the
 * credential schemes and the shaped statuses. Derived from the route table, never written by hand.
 */
export function describeOpenApi(config: ResolvedConfig, table: RouteTable, options: OpenApiOptions = {}): OpenApiDocument {
  const schemes = securitySchemes(config)
  const paths: OpenApiDocument['paths'] = {}
  const seen = new Map<string, number>()
  for (const entry of table.routes) {
    const path = `/${entry.segments.map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment)).join('/')}`
    const count = (seen.get(entry.route.name) ?? 0) + 1
    seen.set(entry.route.name, count)
    const { parameters, requestBody } = describeInputs(entry, entry.shape?.input)
    const security = describeSecurity(entry, schemes)
    ;(paths[path] ??= {})[entry.method.toLowerCase()] = {
      operationId: count === 1 ? entry.route.name : `${entry.route.name}_${count}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: describeResponses(entry, table),
      ...(security === undefined ? {} : { security }),
    }
  }
  const prefix = (options.prefix ?? table.mountPath).replace(/\/$/, '')
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'gatehouse', version: options.version ?? '1.0.0' },
    servers: [{ url: `${config.baseUrl.origin}${config.baseUrl.pathname.replace(/\/$/, '')}${prefix}` }],
    paths,
    components: { securitySchemes: schemes, schemas: { Error: errorBodySchema } },
  }
}
