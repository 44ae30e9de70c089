import type { RequestListener } from 'node:http'
import express from 'express'
import { authRoutes } from '../../adapters/express/index.js'
import { isPlainObject, mergeOptions } from '../shared/merge-options.js'
import {
  AuthError,
  createConsoleMailer,
  createGatehouse,
  type AuthRequest,
  type AuthResponse,
  type Gatehouse,
  type GatehouseOptions,
  type PublicUser,
  type RouteName,
  type SsoConfigListing,
} from '../../src/index.js'
import { createIntegerIds, integerIdFormat, toIntegerId } from './integer-ids.js'

/**
 * Toggl's auth API (seed 000, seed-contracts.md section 1) on Express under `/api/v9`, served by
 * gatehouse's routes, moved and shaped: every endpoint is one of gatehouse's routes.
 */
export interface TogglApp {
  listener: RequestListener
  gate: Gatehouse
}

/** Every route this API serves (`only`): the rest of gatehouse's routes, today's and later ones, stay off. */
const served: RouteName[] = [
  'ssoConfigDelete', 'samlLoginUrl', 'ssoConfigGet', 'logout', 'login', 'ssoConfigSetEnabled',
  'ssoLink', 'apiTokenReset', 'samlAcs', 'signup', 'ssoConfigPut',
]

/** Toggl answers 403 for failed or missing credentials ([ext] "If authentication fails, HTTP status code 403 is returned"). */
const credentialRefusals = { UNAUTHENTICATED: 403, INVALID_CREDENTIALS: 403, INVALID_TOKEN: 403, SESSION_EXPIRED: 403, TOKEN_EXPIRED: 403 } as const

/** TG-6: a response the ACS refuses (unsigned, badly signed, expired, replayed, for another audience) is 403. */
const refusedAssertions = { SAML_SIGNATURE_INVALID: 403, SAML_RESPONSE_REJECTED: 403, SAML_RESPONSE_EXPIRED: 403, SAML_REPLAYED: 403 } as const

/** `workspace_id` is an int in every path that has it. */
const workspaceIdFormat = { paramFormats: { workspaceId: integerIdFormat } }

/** Where the ACS sends a browser back, by T2's `client` ("webapp/toggl-button/client"); any other client lands on '/'. */
const clientPages: Record<string, string> = { webapp: '/timer', 'toggl-button': '/toggl-button', client: '/desktop' }

/** Gatehouse keeps no time zone: every user is on Toggl's default, UTC. */
const timezone = 'UTC'

const invalid = (path: string, message: string) => new AuthError('INVALID_REQUEST', { details: [{ path, message }] })

async function bodyOf(req: AuthRequest): Promise<Record<string, unknown>> {
  const body = await req.readBody()
  return isPlainObject(body) ? body : {}
}

/** T5 takes Basic credentials only: a login without them is missing credentials (403), not gatehouse's JSON login. */
function requireBasic(req: AuthRequest): undefined {
  if (!(req.headers.get('authorization') ?? '').toLowerCase().startsWith('basic ')) throw new AuthError('UNAUTHENTICATED', { message: 'Send Basic credentials: email:password or <api_token>:api_token.' })
  return undefined
}

/**
 * TG-3: `remember_me: true` keeps gatehouse's cookie (Max-Age = the 24 h session); otherwise a
 * cookie that ends with the browser. Always set, so a client's own `?cookie=` changes nothing.
 */
async function cookieLifetime(req: AuthRequest): Promise<'true' | 'session'> {
  const rememberMe = (await bodyOf(req)).remember_me
  if (rememberMe !== undefined && typeof rememberMe !== 'boolean') throw invalid('remember_me', 'must be a boolean')
  return rememberMe === true ? 'true' : 'session'
}

/** TG-11: the terms must be accepted (`tos_accepted: true`); gatehouse's signup itself has no such field. */
async function tosAccepted(req: AuthRequest): Promise<true> {
  const accepted = (await bodyOf(req)).tos_accepted
  if (accepted !== true) throw invalid('tos_accepted', accepted === false ? 'the terms of service must be accepted' : 'is required, a boolean')
  return true
}

/** TG-7: the page the ACS returns to, from T2's `client` (free text, at most 64) with `state` carried along. */
function returnToOf(req: AuthRequest): string {
  const query = req.query()
  const client = query.get('client') ?? ''
  const state = query.get('state')
  if (client.length > 64) throw invalid('client', 'must be at most 64 characters')
  if (state !== null && state.length > 512) throw invalid('state', 'must be at most 512 characters')
  const page = Object.hasOwn(clientPages, client) ? clientPages[client]! : '/'
  return state === null ? page : `${page}?${new URLSearchParams({ state })}`
}

/** A one-element list from Toggl's single `certificate` / `domain` (anything else is left to gatehouse's 400). */
function listOf(name: string) {
  return async (req: AuthRequest): Promise<unknown> => {
    const value = (await bodyOf(req))[name]
    return typeof value === 'string' ? [value] : value
  }
}

/** Toggl's ModelsSSOConfig of a stored config (the fields gatehouse keeps; see the README). */
function toModelsSsoConfig(config: SsoConfigListing): Record<string, unknown> {
  return { certificate: config.idpCertificates[0], domain: config.domains[0], enabled: config.enabled, entity_id: config.idpEntityId, sso_url: config.idpSsoUrl }
}

/**
 * Toggl's ModelsUser (T5): flat; `api_token` only when the login came with it. A session still
 * waiting for a second factor (a host that enrolled one through `gate`) keeps gatehouse's answer.
 */
function toModelsUser(body: unknown, apiToken: string | undefined): unknown {
  const user = (body as { user?: PublicUser }).user
  if (user === undefined) return body
  return { id: toIntegerId(user.id), email: user.email, fullname: user.name ?? '', timezone, ...(apiToken === undefined ? {} : { api_token: apiToken }) }
}

/** The `<api_token>` of `<api_token>:api_token` Basic credentials, else undefined. */
function basicApiToken(req: AuthRequest): string | undefined {
  const authorization = req.headers.get('authorization') ?? ''
  if (!authorization.toLowerCase().startsWith('basic ')) return undefined
  const [name, password] = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8').split(':', 2)
  return password === 'api_token' ? name : undefined
}

/** Options the example is built from; a test's options are merged over them, object by object. */
function togglOptions(gate: () => Gatehouse): GatehouseOptions {
  return {
    secret: process.env.GATEHOUSE_SECRET ?? 'toggl-example-secret-toggl-example-secret',
    baseUrl: process.env.GATEHOUSE_BASE_URL ?? 'http://localhost:3000',
    mountPath: '/api/v9',
    delivery: { email: createConsoleMailer() },
    generateId: createIntegerIds(),
    // TG-3: a remembered session lasts 24 hours, the cookie with it. T4 "deletes a session used
    // for authenticating the current request": without a live credential it is 403.
    sessions: { idleTimeoutSeconds: 86400, absoluteTimeoutSeconds: 86400, logoutRequiresCredentials: true },
    // T5 with `<api_token>:api_token`; the reset token (T8) may manage itself and sign in.
    tokens: { basicLogin: true, defaultScopes: ['tokens:write'] },
    // TG-11: the client calls T5 after signing up.
    signupStartsSession: false,
    // Decision 1: an existing workspace answers a non-admin 403, members and non-members alike.
    workspaces: { nonMemberAnswer: 'forbidden' },
    saml: {
      // TG-8: an existing account confirms SSO with a mailed code at T7; the ACS sends the browser to /login?error=SSO_LINK_REQUIRED.
      linkConfirmation: 'code',
      loginPage: '/login',
      // TG-6, decision 4: a refused response answers 403 with an error body, also to the IdP's cross-site browser post.
      acsFailure: 'json',
    },
    only: served,
    paths: {
      ssoConfigDelete: '/workspaces/:workspaceId/sso',
      samlLoginUrl: '/auth/saml2/login',
      ssoConfigGet: '/workspaces/:workspaceId/sso',
      logout: '/me/sessions',
      login: '/me/sessions',
      ssoConfigSetEnabled: '/workspaces/:workspaceId/sso',
      ssoLink: '/me/enable_sso',
      apiTokenReset: '/me/reset_token',
      samlAcs: '/auth/saml2/login/:workspaceId',
      signup: '/signup',
      ssoConfigPut: '/workspaces/:workspaceId/sso',
    },
    responses: { errors: { status: credentialRefusals } },
    shape: {
      // T1: the JSON string "OK".
      ssoConfigDelete: { ...workspaceIdFormat, success: { status: 200, body: () => 'OK' } },
      // T2: `{ sso_url }`; the e-mail is required (TG-7), `client` and `state` pick the page the ACS returns to.
      samlLoginUrl: {
        input: { query: { email: (req) => req.query().get('email') ?? '', returnTo: returnToOf } },
        success: { body: (body) => ({ sso_url: (body as { ssoUrl: string }).ssoUrl }) },
      },
      // T3: SsoConfigResult.
      ssoConfigGet: {
        ...workspaceIdFormat,
        success: {
          body: (body) => {
            const { config, sp } = body as { config: SsoConfigListing; sp: { acsUrl: string; entityId: string } }
            return { config: toModelsSsoConfig(config), sp_settings: { acs_url: sp.acsUrl, entity_id: sp.entityId } }
          },
        },
      },
      // T4: 200 with an empty body.
      logout: { success: { status: 200, body: 'empty' } },
      // T5: Basic only; `remember_me` chooses the cookie's lifetime; a flat ModelsUser.
      login: {
        input: { body: { email: requireBasic }, query: { cookie: cookieLifetime } },
        success: { body: (body, { req }) => toModelsUser(body, basicApiToken(req)) },
      },
      // T6: SsoState `{ enabled }`, as gatehouse answers it.
      ssoConfigSetEnabled: workspaceIdFormat,
      // T7: `{ confirmation_code }` under Basic; "OK"; a wrong or expired code is 400.
      ssoLink: {
        input: { body: { confirmationCode: 'body:confirmation_code' } },
        success: { body: () => 'OK' },
        errors: { status: { INVALID_CODE: 400 } },
      },
      // T8: the new token as a bare JSON string.
      apiTokenReset: { success: { body: (body) => (body as { token: string }).token } },
      // T9: the IdP's form post; 303 to the client's page with the session cookie.
      // A program posting with `Accept: application/json` gets ModelsUser instead of the redirect.
      samlAcs: { ...workspaceIdFormat, errors: { status: refusedAssertions }, success: { body: (body) => toModelsUser(body, undefined) } },
      // T10: `full_name` is gatehouse's `name`; `tos_accepted` is required. The body is made in `respond` (it needs the new workspace).
      signup: { input: { body: { name: 'body:full_name', tos_accepted: tosAccepted } } },
      // T11: ModelsSSOConfig in, ModelsSSOConfig out (as stored).
      ssoConfigPut: {
        ...workspaceIdFormat,
        input: {
          body: { idpEntityId: 'body:entity_id', idpSsoUrl: 'body:sso_url', idpCertificates: listOf('certificate'), domains: listOf('domain') },
        },
        success: { body: (body) => toModelsSsoConfig((body as { config: SsoConfigListing }).config) },
      },
    },
    respond: {
      signup: (response, { req }) => answerSignup(gate(), response, req),
    },
  }
}

/**
 * T10's ModelsTogglUser, 200 instead of 201. Like Toggl, a new user gets a default workspace
 * (`workspace.name`, else one named after them) and a first API token, both through `gate`.
 */
async function answerSignup(gate: Gatehouse, response: AuthResponse, req: AuthRequest): Promise<AuthResponse> {
  if (response.status !== 201) return response
  const { user } = response.body as { user: PublicUser }
  const { workspace: requested, country_id: countryId } = await bodyOf(req)
  const name = isPlainObject(requested) && typeof requested.name === 'string' && requested.name.trim() !== '' ? requested.name.trim().slice(0, 100) : `${user.name ?? user.email}'s workspace`
  const workspace = await gate.workspaces.create({ name, ownerId: user.id })
  const { token } = await gate.tokens.reset({ userId: user.id })
  return {
    ...response,
    status: 200,
    body: {
      api_token: token,
      at: user.updatedAt,
      beginning_of_week: 1,
      country_id: typeof countryId === 'number' && Number.isInteger(countryId) ? countryId : null,
      created_at: user.createdAt,
      default_workspace_id: toIntegerId(workspace.id),
      email: user.email,
      fullname: user.name ?? '',
      has_password: true,
      id: toIntegerId(user.id),
      image_url: null,
      openid_email: null,
      openid_enabled: false,
      options: {},
      timezone,
      updated_at: user.updatedAt,
    },
  }
}

/** Toggl's auth API (`/api/v9/...`) on Express, served by gatehouse. */
export async function createApp(options: Partial<GatehouseOptions> = {}): Promise<TogglApp> {
  let created: Gatehouse | undefined
  const gate = createGatehouse(mergeOptions(togglOptions(() => created!), options))
  created = gate
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(authRoutes(gate))
  return { listener: app, gate }
}
