import type { RequestListener } from 'node:http'
import Koa from 'koa'
import { authRoutes } from '../../adapters/koa/index.js'
import { mergeOptions } from '../shared/merge-options.js'
import { createGatehouse, type Gatehouse, type GatehouseOptions, type PublicUser, type RouteName, type ShapedError, type ShapeContext } from '../../src/index.js'

/** Cyclos's `POST /auth/otp` codes confirm actions; they are kept apart from second-factor codes. */
export const confirmationPurpose = 'confirmation'

const principalTypes = [
  { internalName: 'email', name: 'E-mail' },
  { internalName: 'username', name: 'Login name' },
]
const guestPermissions = { users: { viewProfile: false }, passwords: { manage: false } }
const memberPermissions = { users: { viewProfile: true }, passwords: { manage: true } }

/** Every route this API serves (`only`): the rest of gatehouse's routes, today's and later ones, stay off. */
const served: RouteName[] = [
  'login', 'logout', 'currentAuth', 'loginOptions', 'secondFactorInfo', 'secondFactorVerify', 'otpSend',
  'accessClientDisconnect', 'passwordResetRequest', 'passwordResetInfo', 'passwordResetComplete',
]

/** Cyclos's `Auth` for a signed-in user. */
function authOf(user: PublicUser, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user: { id: user.id, display: user.name ?? user.email, email: user.email },
    global: false,
    role: 'member',
    systemAdministrator: false,
    aliasOperator: false,
    permissions: memberPermissions,
    principalType: principalTypes[0],
    principal: user.email,
    expiredPassword: false,
    pendingAgreements: false,
    ...extra,
  }
}

/** gatehouse's error codes as Cyclos's `UnauthorizedError` / `ForbiddenError` / `NotFoundError` / `InputError`. */
function cyclosError(error: ShapedError, { route, req }: ShapeContext): unknown {
  if (error.status === 401) {
    if (route === 'login' && error.code === 'INVALID_REQUEST') return { code: 'missingAuthorization' }
    if (error.code === 'UNAUTHENTICATED' || error.code === 'ACCESS_CLIENT_REQUIRED') return { code: 'missingAuthorization' }
    if (error.code === 'INVALID_CREDENTIALS') return { code: 'login' }
    if (req.headers.get('access-client-token') !== null) return { code: 'invalidAccessClient' }
    return { code: 'loggedOut' }
  }
  if (error.status === 403) {
    if (error.code === 'INVALID_CODE') return { code: 'invalidPassword' }
    if (error.code === 'RATE_LIMITED' || error.code === 'HUMAN_VERIFICATION_REQUIRED') return { code: 'temporarilyBlocked' }
    if (error.code === 'SCOPE_MISSING') return { code: 'permissionDenied' }
    return { code: 'illegalAction' }
  }
  if (error.status === 404) return { entityType: route === 'passwordResetInfo' || route === 'passwordResetComplete' ? 'forgottenPasswordKey' : 'entity', key: null }
  if (error.status === 422) {
    const propertyErrors: Record<string, string[]> = {}
    for (const detail of error.details ?? []) (propertyErrors[detail.path] ??= []).push(detail.message)
    return { code: 'validation', generalErrors: Object.keys(propertyErrors).length === 0 ? [error.message] : [], propertyErrors }
  }
  return { code: 'unexpected', message: error.message }
}

/** Options the example is built from; a test's options are merged over them, object by object. */
function cyclosOptions(gate: () => Gatehouse): GatehouseOptions {
  return {
    baseUrl: 'http://localhost:3004',
    secret: process.env.GATEHOUSE_SECRET ?? 'cyclos-example-secret-cyclos-example-0123',
    mountPath: '/api',
    tokens: { accessClientHeader: 'Access-Client-Token' },
    authenticate: { sessionTokenHeader: 'Session-Token', splitSessionCookie: 'Session-Token' },
    secondFactor: { keepSessionToken: true },
    only: served,
    paths: {
      login: '/auth/session',
      logout: ['DELETE /auth/session', 'DELETE /auth'],
      currentAuth: '/auth',
      loginOptions: '/auth/data-for-login',
      secondFactorInfo: '/auth/session/secondary-password',
      secondFactorVerify: '/auth/session/secondary-password',
      otpSend: '/auth/otp',
      accessClientDisconnect: '/auth/access-client',
      passwordResetRequest: '/auth/forgotten-password/request',
      passwordResetInfo: '/auth/forgotten-password/data-for-change',
      passwordResetComplete: '/auth/forgotten-password',
    },
    responses: {
      errors: {
        status: { INVALID_REQUEST: 422, INVALID_JSON: 422, WEAK_PASSWORD: 422, MEDIUM_UNAVAILABLE: 422, NO_PHONE_NUMBER: 422, INVALID_CODE: 403, ACCESS_CLIENT_REQUIRED: 401 },
        body: cyclosError,
      },
    },
    shape: {
      login: {
        input: { query: { cookie: (req) => (req.query().get('cookie') === 'true' ? 'split' : 'false') } },
        // No Basic and no access client reaches the route as a body-less JSON login: missing authorization.
        errors: { status: { INVALID_REQUEST: 401, RATE_LIMITED: 403 } },
        success: {
          body: (body) => {
            const answer = body as { user?: PublicUser; token: string; pending?: boolean }
            if (answer.pending === true || answer.user === undefined) return { sessionToken: answer.token, pendingSecondaryPassword: true }
            return authOf(answer.user, { sessionToken: answer.token })
          },
        },
        output: { fieldsQuery: 'fields' },
      },
      currentAuth: {
        // Cyclos answers callers without credentials (a guest) and sessions pending the secondary password.
        errors: {
          status: { UNAUTHENTICATED: 200, SECOND_FACTOR_REQUIRED: 200 },
          body: (error, context) => {
            if (error.code === 'UNAUTHENTICATED') return { global: false, permissions: guestPermissions }
            if (error.code === 'SECOND_FACTOR_REQUIRED') return { pendingSecondaryPassword: true, permissions: guestPermissions }
            return cyclosError(error, context)
          },
        },
        success: {
          body: (body) => {
            const answer = body as { user: PublicUser; token: { id: string; kind: string; name: string } | null }
            const accessClient = answer.token?.kind === 'access_client' ? { accessClient: { id: answer.token.id, name: answer.token.name } } : {}
            return authOf(answer.user, accessClient)
          },
        },
        output: { fieldsQuery: 'fields' },
      },
      loginOptions: {
        success: {
          body: () => ({
            principalTypes,
            defaultPrincipalType: 'email',
            loginPasswordInput: passwordInput(gate(), 'manual'),
            forgotPasswordMediums: ['email'],
          }),
        },
        output: { fieldsQuery: 'fields' },
      },
      secondFactorVerify: {
        input: { body: { method: () => 'secondary_password', code: 'text' } },
        success: { status: 204 },
        errors: { status: { RATE_LIMITED: 403 } },
      },
      otpSend: {
        input: { body: { medium: 'query:medium', purpose: () => confirmationPurpose } },
        success: { status: 200, body: (body) => (body as { sentTo: string[] }).sentTo },
      },
      passwordResetRequest: { input: { body: { email: 'body:user' } }, success: { status: 204 } },
      passwordResetInfo: {
        success: { body: () => ({ generated: false }) },
        errors: { status: { INVALID_TOKEN: 404 } },
        output: { fieldsQuery: 'fields' },
      },
      passwordResetComplete: { errors: { status: { INVALID_TOKEN: 404 } } },
    },
    respond: {
      logout: (response, { req }) => {
        if (response.status !== 204) return response
        if (req.headers.get('session-token') === null) return { status: 401, body: { code: 'missingAuthorization' } }
        // Only `?cookie=true` erases the Session-Token cookie (the "null value"); Cyclos has no other cookie.
        const erase = req.query().get('cookie') === 'true'
        return { ...response, cookies: erase ? (response.cookies ?? []).filter((cookie) => cookie.name === 'Session-Token') : [] }
      },
      secondFactorInfo: (response) => {
        if (response.status !== 200) return response
        const { secondFactors } = response.body as { secondFactors: string[] }
        if (!secondFactors.includes('secondary_password')) return { status: 404, body: { entityType: 'passwordType', key: 'secondary' } }
        return { ...response, body: passwordInput(gate(), 'manual') }
      },
    },
  }
}

/** Cyclos's `PasswordInput` for a password typed by the user, under the password policy. */
function passwordInput(gate: Gatehouse, mode: 'manual' | 'otp'): Record<string, unknown> {
  const { minLength, maxLength } = gate.config.passwords
  return { inputMethod: 'textBox', mode, hasActivePassword: true, confirmationPasswordOncePerSession: false, minLength, maxLength, otpSendMediums: ['email'] }
}

/**
 * C2's confirmation password: the caller's access client may disconnect itself only with a
 * one-time password from `POST /auth/otp` in the `confirmationPassword` header (403
 * `invalidPassword` without it or with a wrong one). A bad access client is left to gatehouse's 401.
 */
function confirmAccessClientDisconnect(gate: Gatehouse): Koa.Middleware {
  const path = `${gate.mountPath}/auth/access-client`
  return async (ctx, next) => {
    if (ctx.method !== 'DELETE' || ctx.path !== path) return next()
    const secret = ctx.get('Access-Client-Token')
    const owner = secret === '' ? null : await gate.tokens.validate({ secret, kind: 'access_client' }).catch(() => null)
    if (owner === null) return next()
    const code = ctx.get('confirmationPassword')
    if (code === '' || !(await gate.otp.verify({ userId: owner.userId, code, purpose: confirmationPurpose }))) {
      ctx.status = 403
      ctx.body = { code: 'invalidPassword' }
      return
    }
    return next()
  }
}

/** Cyclos's auth API (`/api/auth...`) on Koa, served by gatehouse. */
export async function createApp(options: Partial<GatehouseOptions> = {}): Promise<{ listener: RequestListener; gate: Gatehouse }> {
  let created: Gatehouse | undefined
  const gate = createGatehouse(
    mergeOptions(
      cyclosOptions(() => created!),
      options,
    ),
  )
  created = gate
  const app = new Koa()
  app.proxy = true
  app.use(confirmAccessClientDisconnect(gate))
  app.use(authRoutes(gate))
  return { listener: app.callback(), gate }
}
