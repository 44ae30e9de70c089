import type { RequestListener } from 'node:http'
import Koa from 'koa'
import { authRoutes } from '../../adapters/koa/index.js'
import { mergeOptions } from '../shared/merge-options.js'
import { type UserNameDirectory, createUserNameDirectory } from './user-names.js'
import { createGatehouse, type Gatehouse, type GatehouseOptions, type PublicIssuedToken, type RecordKind, type RouteName, type TokenListing } from '../../src/index.js'

/** Every route this API serves (`only`): the rest of gatehouse's routes, today's and later ones, stay off. */
const served: RouteName[] = ['loginOptions', 'login', 'logout', 'oidcStart', 'oidcCallback', 'apiTokenList', 'apiTokenCreate', 'apiTokenRevoke']

/**
 * Semaphore's ids are integers (seed-contracts.md section 7.5): users and tokens are numbered
 * 1, 2, 3... per kind. With a persistent store, pass a `generateId` backed by a database
 * sequence instead, so numbers survive restarts and are unique across processes.
 */
function numberRecords(): (kind: RecordKind) => string {
  const last: Record<RecordKind, number> = { user: 0, token: 0, workspace: 0 }
  return (kind) => String(++last[kind])
}

/** Semaphore's `APIToken` (SE-9): `id` is public, the secret is not part of it. */
function toApiToken(token: TokenListing): Record<string, unknown> {
  return { id: Number(token.id), name: token.name, created: token.createdAt, expired: token.expired, user_id: Number(token.userId) }
}

/** Options the example is built from; a test's options are merged over them, object by object. */
function semaphoreOptions(userNames: UserNameDirectory): GatehouseOptions {
  return {
    baseUrl: 'http://localhost:3001',
    secret: process.env.GATEHOUSE_SECRET ?? 'semaphore-example-secret-semaphore-exampl',
    mountPath: '/api',
    // SE-2: `auth` is a user name or an e-mail.
    passwords: { resolveLoginName: (name) => userNames.emailOf(name) },
    generateId: numberRecords(),
    // SE-10: "Expires API token" keeps the token listed with expired: true. SE-1: a Semaphore
    // token can do what its user can, so it holds the manage scope (S6, S7 and S8 by bearer).
    tokens: { revokeKeepsListed: true, defaultScopes: ['tokens:write'] },
    // SE-6: POST /auth/logout without credentials is a 401, not a silent 204.
    sessions: { logoutRequiresCredentials: true },
    // SE-8: every OIDC failure lands on the web UI's login page with ?error=CODE; providers come from the host.
    oidc: { loginPage: '/auth/login', providers: [] },
    only: served,
    paths: {
      loginOptions: '/auth/login',
      login: '/auth/login',
      logout: 'POST /auth/logout',
      oidcStart: '/auth/oidc/:provider/login',
      oidcCallback: '/auth/oidc/:provider/redirect',
      apiTokenList: '/user/tokens',
      apiTokenCreate: '/user/tokens',
      apiTokenRevoke: '/user/tokens/:id',
    },
    shape: {
      loginOptions: {
        success: {
          body: (body) => {
            const { oidc } = body as { oidc?: { id: string; name: string }[] }
            return { oidc_providers: (oidc ?? []).map(({ id, name }) => ({ id, name })) }
          },
        },
      },
      // SE-2/SE-4: `{ auth, password }`; 204 with the session cookie only.
      login: { input: { body: { email: 'body:auth' } }, success: { status: 204 } },
      apiTokenList: { success: { body: (body) => (body as TokenListing[]).map(toApiToken) } },
      // SE-9/SE-11: the optional `{ name }` body; the secret appears here only, as `token`.
      apiTokenCreate: {
        success: {
          body: (body) => {
            const issued = body as PublicIssuedToken
            return { ...toApiToken(issued), token: issued.token }
          },
        },
      },
    },
  }
}

/** Semaphore's auth API (`/api/auth...`, `/api/user/tokens`) on Koa, served by gatehouse; `userNames` names accounts for S2. */
export async function createApp(options: Partial<GatehouseOptions> = {}): Promise<{ listener: RequestListener; gate: Gatehouse; userNames: UserNameDirectory }> {
  const userNames = createUserNameDirectory()
  const gate = createGatehouse(mergeOptions(semaphoreOptions(userNames), options))
  const app = new Koa()
  app.proxy = true
  app.use(authRoutes(gate))
  return { listener: app.callback(), gate, userNames }
}
