import type { z } from 'zod'
import type { Authenticated } from './auth-context.js'
import type { Core } from '../core.js'
import type { AuthError } from '../errors/auth-error.js'
import type { GuardNeeds } from './access-needs.js'
import type { AuthRequest, AuthResponse } from './types.js'

import type { HttpMethod } from './http-method.js'

export type { HttpMethod }

/** Who may call a route. 'user': a complete session or a token. 'pending': also a session that still needs its second factor. */
export type RouteAccess = 'public' | 'user' | 'pending'

/** Schemas of what a route reads; the router validates each before the handler runs (400 INVALID_REQUEST). */
export interface RouteInputSchemas<Body, Query, Params> {
  /** The JSON or form body; a missing body is validated as `{}` so the schema names the missing fields. */
  body?: z.ZodType<Body>
  /** The query string as a flat object of first values. */
  query?: z.ZodType<Query>
  /** The route's ':name' parameters. */
  params?: z.ZodType<Params>
}

export interface RouteInput<Body, Query, Params> {
  body: Body
  query: Query
  params: Params
}

export interface RouteContext<Auth extends Authenticated | null, Body = undefined, Query = undefined, Params = Record<string, string>> {
  core: Core
  req: AuthRequest
  /** The caller, resolved before the handler runs for 'user' and 'pending' routes; null on 'public' ones. */
  auth: Auth
  /** What the route declared in `input`, validated. */
  input: RouteInput<Body, Query, Params>
}

/**
 * Turns a refused request (an AuthError below 500) into the route's own answer, e.g. an HTML page
 * for a browser or a redirect to a login page; undefined keeps the JSON error.
 */
export type FailureResponder = (error: AuthError, ctx: { core: Core; req: AuthRequest }) => AuthResponse | undefined

interface RouteBase<Body, Query, Params, Name extends string> {
  /** A name of the route table (README); `paths`, `disable` and `respond` are keyed by it. */
  name: Name
  method: HttpMethod
  /** Default path, relative to the mount point; ':name' segments are parameters. */
  path: string
  input?: RouteInputSchemas<Body, Query, Params>
  /** What else a caller needs (scopes, a recent second factor); checked like requireAuth checks them. */
  needs?: GuardNeeds
  /** How failures answer: JSON by default. */
  failure?: 'json' | FailureResponder
  /** True when a token caller needs the manage scope even on a safe method (listing tokens). Unsafe methods always need it. */
  manageScope?: boolean
  /** False only for routes another site must be able to POST to (a SAML ACS). Default true. */
  csrf?: boolean
  /**
   * True when an API token or access client without the manage scope may call this unsafe route
   * (an access client disconnecting itself). Default false: a leaked read-only token must not change
   * the account (e-mail, password, factors, tokens).
   */
  openToAnyToken?: boolean
}

/** Anyone may call; the handler reads credentials itself if it needs them (login rotates an old session). */
export interface PublicRoute<Body = any, Query = any, Params = any, Name extends string = string> extends RouteBase<Body, Query, Params, Name> {
  access: 'public'
  handle(ctx: RouteContext<null, Body, Query, Params>): Promise<AuthResponse>
}

export interface AuthenticatedRoute<Body = any, Query = any, Params = any, Name extends string = string> extends RouteBase<Body, Query, Params, Name> {
  access: 'user' | 'pending'
  handle(ctx: RouteContext<Authenticated, Body, Query, Params>): Promise<AuthResponse>
}

/** A route of any input; `Name` is its name as a literal type, so a feature's route names reach `paths`, `disable` and `respond`. */
export type RouteDefinition<Name extends string = string> = PublicRoute<any, any, any, Name> | AuthenticatedRoute<any, any, any, Name>

/** Declares a route with its input types inferred from its schemas and its name kept as a literal type. */
export function defineRoute<const Name extends string, Body = undefined, Query = undefined, Params = Record<string, string>>(
  route: PublicRoute<Body, Query, Params, Name> | AuthenticatedRoute<Body, Query, Params, Name>,
): RouteDefinition<Name> {
  return route as RouteDefinition<Name>
}
