import type { AuthContext } from './auth-context.js'
import type { AuthErrorCode } from '../errors/error-catalogue.js'
import type { ErrorDetail } from '../errors/auth-error.js'
import type { HttpMethod } from './http-method.js'
import type { AuthRequest, AuthResponse } from './types.js'

export interface RespondContext<Name extends string = string> {
  /** The name of the route that answered. */
  route: Name
  req: AuthRequest
}

/** Reshapes one route's response (errors too), to reproduce an existing API contract. Runs after every other shaping option. */
export type RespondHook<Name extends string = string> = (response: AuthResponse, context: RespondContext<Name>) => AuthResponse | Promise<AuthResponse>

/**
 * Where a route answers: `'/me/sessions'` keeps its method, `'POST /auth/logout'` moves the
 * method too, and `{ path, method?, params? }` binds constant `params` (a mount of
 * `federatedToken` with its audience fixed answers without the `:audience` segment).
 */
export type PathOption = string | PathBinding

export interface PathBinding {
  path: string
  method?: HttpMethod | undefined
  /** Constant route parameters this mount fills in; a request's own parameters of the same name never override them. */
  params?: Record<string, string> | undefined
}

/**
 * Where one input field is read from: `'body:auth'` (JSON or form field), `'query:payload'`,
 * `'header:confirmationPassword'`, `'param:userId'`, `'cookie:name'`, `'text'` (a `text/plain`
 * body), `'user:email'` (the user an `actAs` route acts on), or a function of the request.
 */
export type FieldSource = string | ((req: AuthRequest) => unknown)

/**
 * The route's own input, filled from other places or names before the route validates it: keys
 * are the route's field names. Fields that are not named keep the request's own value; a field
 * read from another name of the same part is no longer seen under that name.
 */
export interface InputMapping {
  body?: Record<string, FieldSource> | undefined
  query?: Record<string, FieldSource> | undefined
  params?: Record<string, FieldSource> | undefined
}

/** What shaping functions see of the answer being shaped. */
export interface ShapeContext<Name extends string = string> extends RespondContext<Name> {
  /** The status after `status` mapping. */
  status: number
}

/** A refusal as the error-shaping options see it. */
export interface ShapedError {
  status: number
  code: AuthErrorCode
  message: string
  details?: ErrorDetail[] | undefined
}

/** How a successful (2xx) answer is shaped. */
export interface SuccessShape<Name extends string = string> {
  /** Another status; a function maps the route's own (`(status) => (status === 201 ? 200 : status)`). 204 drops the body. */
  status?: number | ((status: number) => number) | undefined
  /**
   * Another body: a function of gatehouse's body (a string it returns is sent as a JSON string;
   * it may return a promise, to look things up), or 'empty' for none. A route answering 204 may
   * hand it what it ended (README, "Reproducing an existing API"), which a 204 itself never sends.
   */
  body?: 'empty' | ((body: unknown, context: ShapeContext<Name>) => unknown) | undefined
}

/** How refusals (4xx and 5xx) are shaped. */
export interface ErrorShape<Name extends string = string> {
  /** Another status per error code (`{ TOKEN_EXPIRED: 403 }`). */
  status?: { [Code in AuthErrorCode]?: number | undefined } | undefined
  /** Another body (`(e) => ({ message: e.message, errorType: e.code })`) instead of `{ error: { code, message, details? } }`. */
  body?: ((error: ShapedError, context: ShapeContext<Name>) => unknown) | undefined
}

/** Field names and selection of a JSON body, applied after `success.body`. */
export interface OutputShape {
  /** Every object key of the body in this case: 'snake' (`api_token`) or 'camel' (`apiToken`). */
  case?: 'snake' | 'camel' | undefined
  /** Keys renamed at any depth, after `case` (`{ fullName: 'fullname' }`). */
  rename?: Record<string, string> | undefined
  /**
   * The query parameter that selects fields (Cyclos `fields=a,b.b1,c.-c1`): names keep only
   * those fields, '-' or '!' names drop them, dots reach into nested objects and arrays.
   */
  fieldsQuery?: string | undefined
}

/**
 * A server-to-server route: an API token or access client holding `scope` acts on the user named
 * by the path parameter `param`, which `resolveUser` turns into a gatehouse user id (null: 404).
 * `caller` is who holds the token, so ids can be looked up per caller (per tenant).
 */
export interface ActAsUser {
  param: string
  scope: string
  resolveUser: (id: string, context: { req: AuthRequest; caller: AuthContext }) => string | null | Promise<string | null>
}

/** A double-submit CSRF token: the JSON body field `field` must equal the cookie `cookie` (Pupil's login: `csrf_token` in both). */
export interface DoubleSubmitCheck {
  cookie: string
  field: string
}

/** Everything shaping one route: its inputs, its answers, and who it acts for. */
export interface RouteShape<Name extends string = string> {
  input?: InputMapping | undefined
  success?: SuccessShape<Name> | undefined
  /** Overrides `responses.errors` for this route, field by field. */
  errors?: ErrorShape<Name> | undefined
  /** Overrides `responses.output` for this route, field by field. */
  output?: OutputShape | undefined
  actAs?: ActAsUser | undefined
  /**
   * Path parameters that must match a pattern (`{ workspaceId: /^[0-9]{1,15}$/ }`, Toggl's integer
   * ids): any other value answers 400 INVALID_REQUEST before credentials or the route are looked at.
   */
  paramFormats?: Record<string, RegExp> | undefined
  /** Checked before the input is mapped; a missing or different token answers 403 CSRF_REJECTED. */
  doubleSubmit?: DoubleSubmitCheck | undefined
}

/** Shaping for every route of the mount. */
export interface MountShape<Name extends string = string> {
  /** Wraps every 2xx JSON body (not an empty one): `(result, { status }) => ({ status: 'success', code: status, result })`. */
  envelope?: ((result: unknown, context: ShapeContext<Name>) => unknown) | undefined
  errors?: ErrorShape<Name> | undefined
  output?: OutputShape | undefined
}

/**
 * The route options of `createGatehouse`: where routes answer and how, declared once. `Name` is
 * the union of the installed routes' names (createGatehouse fills it in), so only routes that
 * exist are offered.
 */
export interface RouteOptions<Name extends string = string> {
  /** Where the host mounts authRoutes, e.g. '/api/auth'. Links in mails are built from it. Default '/auth'. */
  mountPath?: string | undefined
  /**
   * Moves routes: `{ login: '/me/sessions', logout: 'POST /auth/logout' }`. A list mounts the
   * route at each (aliases, constant-parameter bindings); links use the first. Paths start with
   * '/'; ':name' segments are parameters.
   */
  paths?: { [N in Name]?: PathOption | readonly PathOption[] | undefined } | undefined
  /** Drops routes. */
  disable?: readonly Name[] | undefined
  /** Serves these routes and drops every other, so a reproduced API stays exact when gatehouse gains routes. Not with `disable`. */
  only?: readonly Name[] | undefined
  /** Reshapes a route's inputs and answers (README, "Reproducing an existing API"). */
  shape?: { [N in Name]?: RouteShape<N> | undefined } | undefined
  /** Shaping for every route: an envelope, the error body, field names. */
  responses?: MountShape<Name> | undefined
  /** Reshapes a route's responses; each hook's context names its own route. */
  respond?: { [N in Name]?: RespondHook<N> | undefined } | undefined
}
