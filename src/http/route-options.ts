import type { RouteName } from './route-names.js'
import type { AuthRequest, AuthResponse } from './types.js'

export interface RespondContext {
  route: string
  req: AuthRequest
}

/** Reshapes one route's response (errors too), to reproduce an existing API contract. */
export type RespondHook = (response: AuthResponse, context: RespondContext) => AuthResponse | Promise<AuthResponse>

/** The route options of `createGatehouse`: where routes answer and how, declared once. */
export interface RouteOptions {
  /** Where the host mounts authRoutes, e.g. '/api/auth'. Links in mails are built from it. Default '/auth'. */
  mountPath?: string
  /** Moves routes: `{ login: '/me/sessions' }`. Paths start with '/'; ':name' segments are parameters. */
  paths?: Partial<Record<RouteName, string>>
  /** Drops routes. */
  disable?: RouteName[]
  /** Reshapes a route's responses. */
  respond?: Partial<Record<RouteName, RespondHook>>
}
