/** The headers of a request. A Fetch `Headers` fits as is; names are asked for in lower case. */
export interface HeaderReader {
  get(name: string): string | null
}

/** What the credential check needs of a request: guards build only this. */
export interface CredentialRequest {
  method: string
  headers: HeaderReader
  ip?: string | undefined
  /** The host route's parameters (`:workspaceId`), for guards whose needs read one. */
  readonly params?: Readonly<Record<string, string>>
}

/** The neutral request the core's routes see. Adapters build it from Express or Koa. */
export interface AuthRequest extends CredentialRequest {
  /** Path relative to where the routes are mounted, starting with '/'. */
  path: string
  /** Route parameters; filled by the core's router. */
  params: Record<string, string>
  /** Parsed lazily: most guarded requests never need the query. */
  query(): URLSearchParams
  /** The parsed body (JSON or form), or undefined when there is none. Uses a body the host already parsed. */
  readBody(): Promise<unknown>
  /**
   * The body of a `text/plain` request as text, or undefined when there is none; 415 for another
   * type. Only routes whose input mapping reads `'text'` call it (instead of readBody).
   */
  readText?(): Promise<string | undefined>
}

export interface CookieOptions {
  httpOnly?: boolean | undefined
  secure?: boolean | undefined
  sameSite?: 'lax' | 'strict' | 'none' | undefined
  path?: string | undefined
  domain?: string | undefined
  maxAge?: number | undefined
}

export interface CookieToSet {
  name: string
  value: string
  options: CookieOptions
}

/** The neutral response. Adapters write it out; `respond` hooks may reshape it. */
export interface AuthResponse {
  status: number
  headers?: [string, string][] | undefined
  cookies?: CookieToSet[] | undefined
  /** An object is sent as JSON; a string as is (set content-type in headers). */
  body?: unknown
  /** Location for a 3xx. */
  redirect?: string | undefined
}
