import type { Authenticated } from './auth-context.js'
import type { Core } from '../core.js'
import type { RouteName } from './route-names.js'
import type { AuthRequest, AuthResponse } from './types.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteContext<A extends Authenticated | null> {
  core: Core
  req: AuthRequest
  /** The caller, resolved before the handler runs for 'user' and 'pending' routes; null on 'public' ones. */
  auth: A
}

interface RouteBase {
  name: RouteName
  method: HttpMethod
  /** Default path, relative to the mount point; ':name' segments are parameters. */
  path: string
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
export interface PublicRoute extends RouteBase {
  access: 'public'
  handle(ctx: RouteContext<null>): Promise<AuthResponse>
}

/** 'user': a complete session or a token. 'pending': also a session that still needs its second factor. */
export interface AuthenticatedRoute extends RouteBase {
  access: 'user' | 'pending'
  handle(ctx: RouteContext<Authenticated>): Promise<AuthResponse>
}

export type RouteDefinition = PublicRoute | AuthenticatedRoute
