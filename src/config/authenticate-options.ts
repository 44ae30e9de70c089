import { z } from 'zod'
import { cookieName, functionOption } from './option-schemas.js'
import type { PublicUser } from '../http/auth-context.js'
import { headerName } from './token-options.js'

/**
 * `createGatehouse({ authenticate })`: more places a credential may arrive, read by the one
 * `authenticate` every guard and route uses. The API-key and access-client header names are
 * `tokens.apiKeyHeader` and `tokens.accessClientHeader`.
 */
export interface AuthenticateOptions {
  /** A session token in this header (Cyclos `Session-Token`), read after the API-key header and before the cookie. */
  sessionTokenHeader?: string | undefined
  /**
   * A session token split in two (Cyclos): the header holds the first half, this cookie the second.
   * Login hands it out when its query asks `cookie=split`; both halves are needed. Needs `sessionTokenHeader`.
   */
  splitSessionCookie?: string | undefined
  /** A header naming the caller's active workspace (Pupil `workspace-id`): a member gets `workspaceId` and `role`, anyone else `foreignWorkspaceStatus`. */
  workspaceHeader?: string | undefined
  /**
   * What a workspace header naming a workspace the caller is no member of (or none at all) answers:
   * 404 NOT_FOUND (a non-member learns nothing), or 403 FORBIDDEN for an API that says so (Pupil
   * Cloud). Either way nobody learns whether the workspace exists. Default 404.
   */
  foreignWorkspaceStatus?: 403 | 404 | undefined
  /**
   * The workspace a request without the workspace header works in (Pupil: the user's default
   * workspace), or null for none. Used only when it names a workspace the user is a member of.
   * It runs on every such request: keep it to one lookup.
   */
  defaultWorkspace?: ((user: PublicUser) => string | null | Promise<string | null>) | undefined
}

export interface ResolvedAuthenticateOptions {
  /** Lower case, or null when not configured. */
  sessionTokenHeader: string | null
  splitSessionCookie: string | null
  workspaceHeader: string | null
  foreignWorkspaceStatus: 403 | 404
  defaultWorkspace: ((user: PublicUser) => string | null | Promise<string | null>) | null
}

export const authenticateOptionsSchema = z
  .object({
    sessionTokenHeader: headerName,
    splitSessionCookie: cookieName,
    workspaceHeader: headerName,
    foreignWorkspaceStatus: z.union([z.literal(403), z.literal(404)]),
    defaultWorkspace: functionOption,
  })
  .partial()
  .strict()
  .refine((options) => options.splitSessionCookie === undefined || options.sessionTokenHeader !== undefined, {
    path: ['splitSessionCookie'],
    message: 'needs sessionTokenHeader: the header carries the first half',
  })

export function resolveAuthenticateOptions(options: AuthenticateOptions = {}): ResolvedAuthenticateOptions {
  return {
    sessionTokenHeader: options.sessionTokenHeader?.toLowerCase() ?? null,
    splitSessionCookie: options.splitSessionCookie ?? null,
    workspaceHeader: options.workspaceHeader?.toLowerCase() ?? null,
    foreignWorkspaceStatus: options.foreignWorkspaceStatus ?? 404,
    defaultWorkspace: options.defaultWorkspace ?? null,
  }
}
