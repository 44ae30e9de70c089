import type { AuthErrorCode } from '../errors/error-catalogue.js'
import type { ErrorDetail } from '../errors/auth-error.js'
import { renameFields } from './field-names.js'
import type { ErrorShape, MountShape, OutputShape, RouteShape, ShapeContext, ShapedError } from './route-options.js'
import { parseFieldSelection, selectFields } from './select-fields.js'
import type { AuthRequest, AuthResponse } from './types.js'

/** What the router knows of the answer it shapes. */
export interface ShapeInput {
  route: string
  req: AuthRequest
  response: AuthResponse
  /** Set when the response is a refusal rendered by toErrorResponse (not a route's own failure page). */
  failed: boolean
}

function mergeOutput(mount: OutputShape | undefined, route: OutputShape | undefined): OutputShape | undefined {
  if (mount === undefined) return route
  if (route === undefined) return mount
  return { ...mount, ...route, rename: { ...mount.rename, ...route.rename } }
}

function mergeErrors(mount: ErrorShape | undefined, route: ErrorShape | undefined): ErrorShape | undefined {
  if (mount === undefined) return route
  if (route === undefined) return mount
  return { status: { ...mount.status, ...route.status }, body: route.body ?? mount.body }
}

/** A JSON value that is not an object or array (a bare string, `null`) goes out as JSON text, which adapters would not encode. */
function encodeJson(response: AuthResponse, body: unknown): AuthResponse {
  if (typeof body === 'object' && body !== null) return { ...response, body }
  const headers = (response.headers ?? []).filter(([name]) => name.toLowerCase() !== 'content-type')
  return { ...response, body: JSON.stringify(body), headers: [...headers, ['content-type', 'application/json; charset=utf-8']] }
}

function shapeFailure(input: ShapeInput, errors: ErrorShape | undefined): AuthResponse {
  const { response } = input
  const rendered = (response.body as { error: { code: AuthErrorCode; message: string; details?: ErrorDetail[] } }).error
  const status = errors?.status?.[rendered.code] ?? response.status
  if (errors?.body === undefined) return { ...response, status }
  const error: ShapedError = { status, ...rendered }
  return encodeJson({ ...response, status }, errors.body(error, { route: input.route, req: input.req, status }))
}

async function shapeSuccess(input: ShapeInput, route: RouteShape | undefined, mount: MountShape | undefined): Promise<AuthResponse> {
  const { response } = input
  const success = route?.success
  const requested = success?.status
  const status = typeof requested === 'function' ? requested(response.status) : (requested ?? response.status)
  const context: ShapeContext = { route: input.route, req: input.req, status }
  // A string from a route is a page or a document (HTML, XML), not JSON to rename or wrap.
  let json = response.body !== undefined && typeof response.body !== 'string'
  let body = response.body
  if (success?.body === 'empty') {
    body = undefined
    json = false
  } else if (success?.body !== undefined) {
    body = await success.body(body, context)
    json = body !== undefined
  }
  if (status === 204) return { ...response, status, body: undefined }
  if (!json) return { ...response, status, body }
  const output = mergeOutput(mount?.output, route?.output)
  if (output?.case !== undefined || output?.rename !== undefined) body = renameFields(body, output)
  const selection = output?.fieldsQuery === undefined ? null : parseFieldSelection(input.req.query().getAll(output.fieldsQuery))
  if (selection !== null) body = selectFields(body, selection)
  if (mount?.envelope !== undefined) body = mount.envelope(body, context)
  return encodeJson({ ...response, status }, body)
}

/** A 204 has no body: what a route attaches to one (the token it revoked) is there for `success.body` only. */
function dropNoContentBody(response: AuthResponse): AuthResponse {
  return response.status === 204 && response.body !== undefined ? { ...response, body: undefined } : response
}

/**
 * Shapes one answer as `shape` and `responses` say: a refusal by its code (status, body); a 2xx
 * by status, body, field names, `fields` selection and the mount's envelope. Redirects and
 * routes' own failure pages pass unchanged.
 */
export async function shapeResponse(input: ShapeInput, route: RouteShape | undefined, mount: MountShape | undefined): Promise<AuthResponse> {
  if (input.failed) return shapeFailure(input, mergeErrors(mount?.errors, route?.errors))
  if (input.response.status < 200 || input.response.status >= 300) return input.response
  if (route === undefined && mount === undefined) return dropNoContentBody(input.response)
  return dropNoContentBody(await shapeSuccess(input, route, mount))
}
