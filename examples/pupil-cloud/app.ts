import type { RequestListener } from 'node:http'
import express from 'express'
import { authRoutes } from '../../adapters/express/index.js'
import { createConsoleMailer, createGatehouse, type Gatehouse, type GatehouseOptions, type PublicUser, type RouteName, type ShapedError } from '../../src/index.js'
import { isPlainObject, mergeOptions } from '../shared/merge-options.js'
import { type ProfileBuilder, createProfileBuilder, defaultWorkspaceOf, toPupilInvitation, toPupilToken } from './pupil-models.js'

/**
 * Pupil Cloud's auth API (seed 004, seed-contracts.md section 5) on Express at `/v2`, every one of
 * its fourteen endpoints a gatehouse route, shaped. Credentials: the `api-key` header (an access
 * token from P13) or the session cookie from P11; `workspace-id` picks the active workspace.
 */
export interface PupilCloudApp {
  listener: RequestListener
  gate: Gatehouse
}

/** Every route this API serves (`only`): the rest of gatehouse's routes, today's and later ones, stay off. */
const served: RouteName[] = [
  'apiTokenRevoke', 'invitationDecline', 'federatedToken', 'profileGet', 'apiTokenGet', 'apiTokenList', 'invitationGet',
  'invitationList', 'profileUpdate', 'invitationAccept', 'oidcTokenLogin', 'logout', 'apiTokenCreate', 'unregister',
]

/** The documented 401/403 texts of P11 ("Invalid token", "Token expired"); other refusals keep gatehouse's message. */
const loginMessages: Partial<Record<ShapedError['code'], string>> = { OIDC_RESPONSE_INVALID: 'Invalid token', TOKEN_EXPIRED: 'Token expired' }

/** Pupil's error envelope (PU-3): `{ status: 'error', code: <http status>, message }`. */
const errorEnvelope = (error: ShapedError, { route }: { route: string }) => ({
  status: 'error',
  code: error.status,
  message: (route === 'oidcTokenLogin' ? loginMessages[error.code] : undefined) ?? error.message,
})

/** Invitations that are used, expired or someone else's are as unknown as a wrong token (PU-4, PU-5). */
const invitationGone = { INVITATION_USED: 404, INVITATION_EXPIRED: 404, INVITATION_EMAIL_MISMATCH: 404 } as const

/** Options the example is built from; a test's options are merged over them, object by object. */
function pupilOptions(gate: () => Gatehouse, profileOf: () => ProfileBuilder): GatehouseOptions {
  const userProfile = (body: unknown) => profileOf()((body as { user: PublicUser }).user.id)
  return {
    baseUrl: 'http://localhost:3005',
    secret: process.env.GATEHOUSE_SECRET ?? 'pupil-cloud-example-secret-pupil-cloud-01',
    mountPath: '/v2',
    delivery: { email: createConsoleMailer() },
    // P13 tokens act for their user on every endpoint, unsafe ones included: they get the manage scope.
    tokens: { apiKeyHeader: 'api-key', defaultScopes: ['tokens:write'], requireName: true },
    authenticate: {
      workspaceHeader: 'workspace-id',
      foreignWorkspaceStatus: 403,
      // Without the header, the Profile's default_workspace_id (PU-1); one listing per such request.
      defaultWorkspace: async (user) => defaultWorkspaceOf(await gate().storage.workspaces.listByUser(user.id)),
    },
    account: { emailChange: false, unregisterNeedsPassword: false },
    profileFields: {
      photo_url: { type: 'url' },
      product_updates_subscribed: { type: 'boolean' },
      onboarded_at: { type: 'timestamp', setBy: 'onboarded' },
    },
    // PU-1: the api-key header authenticates every endpoint, accepting an invitation too.
    workspaces: { invitations: { lifetimeSeconds: 7 * 24 * 3600, inviteeOnlyGet: true, acceptWithToken: true } },
    // The identity providers `type` names; a deployment passes its own (`google` with Google's issuer and client id).
    oidc: { providers: [] },
    federation: {
      audiences: {
        canny: {
          algorithm: 'HS256',
          // Canny's SSO private key; the deployment passes its own.
          secret: process.env.CANNY_PRIVATE_KEY ?? 'canny-private-key-for-the-demo-only-0123456789',
          allowApiTokens: true,
          // Canny's user SSO token claims (PU-9).
          claims: (user) => ({ id: user.id, email: user.email, name: user.name ?? user.email, avatarURL: user.profile?.photo_url ?? null }),
        },
      },
    },
    only: served,
    paths: {
      apiTokenRevoke: '/auth/tokens/:id',
      invitationDecline: '/auth/profile/invites/:token',
      federatedToken: { path: '/auth/canny-sso', params: { audience: 'canny' } },
      profileGet: '/auth/profile',
      apiTokenGet: '/auth/tokens/:id',
      apiTokenList: '/auth/tokens',
      invitationGet: '/auth/profile/invites/:token',
      invitationList: '/auth/profile/invites',
      profileUpdate: '/auth/profile',
      invitationAccept: '/auth/profile/invites/:token/accept',
      oidcTokenLogin: '/auth/login',
      logout: 'POST /auth/logout',
      apiTokenCreate: '/auth/tokens',
      unregister: '/auth/unregister',
    },
    responses: {
      envelope: (result, { status }) => ({ status: 'success', code: status, result }),
      errors: { body: errorEnvelope },
    },
    shape: {
      oidcTokenLogin: {
        doubleSubmit: { cookie: 'csrf_token', field: 'csrf_token' },
        input: {
          params: { provider: 'body:type' },
          body: {
            idToken: 'body:id_token',
            // Kept for a user this login creates; gatehouse checks it is a boolean (400 otherwise).
            profile: async (req) => {
              const body = await req.readBody()
              const subscribed = isPlainObject(body) ? body.product_updates_subscribed : undefined
              return subscribed === undefined ? undefined : { product_updates_subscribed: subscribed }
            },
          },
        },
        // An unknown `type` is bad input, like a missing one; an expired ID token is 403 (PU-2).
        errors: { status: { OIDC_PROVIDER_UNKNOWN: 400, CSRF_REJECTED: 400, TOKEN_EXPIRED: 403 } },
        success: { body: userProfile },
      },
      logout: {
        success: { status: 200, body: (body) => ((body as { user: PublicUser | null }).user === null ? null : userProfile(body)) },
      },
      profileGet: { success: { body: userProfile } },
      profileUpdate: { success: { body: userProfile } },
      apiTokenCreate: { success: { status: 200, body: (body) => toPupilToken(body, { withSecret: true }) } },
      apiTokenList: { success: { body: (body) => (body as unknown[]).map((token) => toPupilToken(token)) } },
      apiTokenGet: { success: { body: (body) => toPupilToken(body) } },
      apiTokenRevoke: { success: { status: 200, body: (body) => toPupilToken(body) } },
      invitationList: { success: { body: (body) => (body as unknown[]).map(toPupilInvitation) } },
      invitationGet: { success: { body: toPupilInvitation }, errors: { status: invitationGone } },
      invitationAccept: { success: { body: (body) => profileOf().member(body) }, errors: { status: invitationGone } },
      invitationDecline: { errors: { status: invitationGone } },
      unregister: { success: { status: 200, body: 'empty' } },
    },
  }
}

/** Pupil Cloud's auth API (`/v2/auth/...`) on Express, served by gatehouse. */
export async function createApp(options: Partial<GatehouseOptions> = {}): Promise<PupilCloudApp> {
  // The options' functions need the gate they configure: filled in just below.
  let created: Gatehouse | undefined
  let builder: ProfileBuilder | undefined
  const gate = createGatehouse(
    mergeOptions(
      pupilOptions(
        () => created!,
        () => builder!,
      ),
      options,
    ),
  )
  created = gate
  builder = createProfileBuilder(gate)
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(authRoutes(gate))
  // Any other path, in the same envelope.
  app.use((_req, res) => res.status(404).json({ status: 'error', code: 404, message: 'Not found.' }))
  return { listener: app, gate }
}
