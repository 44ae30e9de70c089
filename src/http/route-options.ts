import type { AuthRequest, AuthResponse } from './types.js'

export interface RespondContext<Name extends string = string> {
  /** The name of the route that answered. */
  route: Name
  req: AuthRequest
}

/** Reshapes one route's response (errors too), to reproduce an existing API contract. */
export type RespondHook<Name extends string = string> = (response: AuthResponse, context: RespondContext<Name>) => AuthResponse | Promise<AuthResponse>

/**
 * The route options of `createGatehouse`: where routes answer and how, declared once. `Name` is
 * the union of the installed routes' names (createGatehouse fills it in), so only routes that
 * exist are offered.
 */
export interface RouteOptions<Name extends string = string> {
  /** Where the host mounts authRoutes, e.g. '/api/auth'. Links in mails are built from it. Default '/auth'. */
  mountPath?: string | undefined
  /** Moves routes: `{ login: '/me/sessions' }`. Paths start with '/'; ':name' segments are parameters. */
  paths?: { [N in Name]?: string | undefined } | undefined
  /** Drops routes. */
  disable?: readonly Name[] | undefined
  /** Reshapes a route's responses; each hook's context names its own route. */
  respond?: { [N in Name]?: RespondHook<N> | undefined } | undefined
}
