import type { AuthContext } from './auth-context.js'
import { authenticate } from './authenticate.js'
import { type GatehouseOptions, type ResolvedConfig, resolveConfig } from './config.js'
import type { Core } from './core.js'
import { createPasswordHasher } from './crypto/password-hasher.js'
import { createBackgroundTasks } from './delivery/background-tasks.js'
import { createPendingChecks } from './pending-checks.js'
import { type Guard, type GuardNeeds, createGuard } from './http/guard.js'
import { type Router, type RouterOptions, createRouter } from './http/router.js'
import { allRoutes } from './http/routes.js'
import type { CredentialRequest } from './http/types.js'
import { consumeMagicLink } from './magic-links/consume-magic-link.js'
import { sendMagicLink } from './magic-links/send-magic-link.js'
import { sendOtpCode } from './otp/send-otp-code.js'
import { verifyOtpCode } from './otp/verify-otp-code.js'
import { changePassword, setPassword } from './passwords/change-password.js'
import { completePasswordReset } from './passwords/password-reset-complete.js'
import { describePasswordReset } from './passwords/password-reset-info.js'
import { requestPasswordReset } from './passwords/password-reset-request.js'
import { checkPasswordPolicy } from './passwords/password-policy.js'
import { signUp } from './passwords/sign-up.js'
import { verifyPasswordLogin } from './passwords/verify-password-login.js'
import { unregisterUser } from './account/unregister-user.js'
import { issueSession } from './sessions/issue-session.js'
import { listSessions } from './sessions/list-sessions.js'
import { revokeSession, revokeUserSessions } from './sessions/revoke-session.js'
import { validateSession } from './sessions/validate-session.js'
import { completeSecondFactor } from './second-factor/complete-second-factor.js'
import { listSecondFactors } from './second-factor/list-second-factors.js'
import { removeSecondaryPassword, setSecondaryPassword } from './second-factor/secondary-password.js'
import { verifySecondFactor } from './second-factor/verify-second-factor.js'
import { memoryStorage } from './storage/memory-storage.js'
import { confirmTotp } from './totp/confirm-totp.js'
import { disableTotp } from './totp/disable-totp.js'
import { enableTotp } from './totp/enable-totp.js'
import { regenerateRecoveryCodes } from './totp/regenerate-recovery-codes.js'
import { verifyTotp } from './totp/verify-totp.js'
import type { Storage } from './storage/ports.js'
import { activateAccessClient } from './tokens/activate-access-client.js'
import { createApiToken } from './tokens/create-api-token.js'
import { resetApiToken } from './tokens/reset-api-token.js'
import { revokeTokensOnPasswordChange } from './tokens/revoke-tokens-on-password-change.js'
import { getToken, listTokens, revokeToken, revokeUserTokens } from './tokens/user-tokens.js'
import { validateToken } from './tokens/validate-token.js'

type Operation<F> = F extends (core: Core, ...rest: infer A) => infer R ? (...rest: A) => R : never

function bind<F extends (core: Core, ...rest: never[]) => unknown>(core: Core, operation: F): Operation<F> {
  return ((...rest: never[]) => operation(core, ...rest)) as Operation<F>
}

/** A configured gatehouse: what adapters mount, and the core operations for a host's own routes. */
export interface Gatehouse {
  readonly config: ResolvedConfig
  readonly storage: Storage
  /** Who is calling (null when no credential); throws AuthError for a bad one. Pending sessions included. */
  authenticate(req: CredentialRequest): Promise<AuthContext | null>
  /** The per-request check behind requireAuth; validates `needs` once. */
  createGuard(needs?: GuardNeeds): Guard
  /** The route table with `paths`, `disable` and `respond` applied; validates options once. */
  createRouter(options?: RouterOptions): Router
  sessions: {
    issue: Operation<typeof issueSession>
    validate: Operation<typeof validateSession>
    list: Operation<typeof listSessions>
    revoke: Operation<typeof revokeSession>
    revokeAll: Operation<typeof revokeUserSessions>
  }
  users: {
    signUp: Operation<typeof signUp>
    unregister: Operation<typeof unregisterUser>
  }
  passwords: {
    verifyLogin: Operation<typeof verifyPasswordLogin>
    change: Operation<typeof changePassword>
    set: Operation<typeof setPassword>
    checkPolicy(password: string, email: string | null): void
  }
  /** API tokens and access clients (`kind` 'api_token' by default where a function takes one). */
  tokens: {
    create: Operation<typeof createApiToken>
    reset: Operation<typeof resetApiToken>
    activateAccessClient: Operation<typeof activateAccessClient>
    validate: Operation<typeof validateToken>
    list: Operation<typeof listTokens>
    get: Operation<typeof getToken>
    revoke: Operation<typeof revokeToken>
    revokeAll: Operation<typeof revokeUserTokens>
    revokeOnPasswordChange: Operation<typeof revokeTokensOnPasswordChange>
  }
  totp: {
    /** Starts an enrolment for a user: `{ secret, otpauthUrl, qrCodeSvg }`; inactive until confirmed. 409 when TOTP is already on. */
    enable: Operation<typeof enableTotp>
    /** Activates the enrolment with a correct code; answers the new recovery codes (shown once). */
    confirm: Operation<typeof confirmTotp>
    /** True for a correct, unused code of the user's confirmed TOTP; throttled (429), 400 FACTOR_NOT_ENABLED without TOTP. */
    verify: Operation<typeof verifyTotp>
    /** Removes TOTP without further checks (the host authorised the call). True when there was one. */
    disable: Operation<typeof disableTotp>
  }
  secondFactor: {
    /** The user's second factors ('totp', 'recovery_code', 'secondary_password', and 'otp' when allowed); empty means no second step. */
    list: Operation<typeof listSecondFactors>
    /** Checks one factor (a recovery code is spent when it passes); false when wrong, 429 when locked. */
    verify: Operation<typeof verifySecondFactor>
    /** Rotates a session after its user passed a factor: the new session records it and is no longer pending. */
    complete: Operation<typeof completeSecondFactor>
    /** Replaces the user's recovery codes; answers the new ones (shown once). */
    regenerateRecoveryCodes: Operation<typeof regenerateRecoveryCodes>
    /** Turns on (or replaces) the user's secondary password: logins then need it as a second step. */
    setSecondaryPassword: Operation<typeof setSecondaryPassword>
    /** Turns the secondary password off. True when there was one. */
    removeSecondaryPassword: Operation<typeof removeSecondaryPassword>
  }
  magicLinks: {
    send: Operation<typeof sendMagicLink>
    consume: Operation<typeof consumeMagicLink>
  }
  otp: {
    send: Operation<typeof sendOtpCode>
    verify: Operation<typeof verifyOtpCode>
  }
  passwordReset: {
    request: Operation<typeof requestPasswordReset>
    info: Operation<typeof describePasswordReset>
    complete: Operation<typeof completePasswordReset>
  }
  delivery: {
    /** Resolves once every message queued by a route so far was handed to the mailer or SMS sender (tests, graceful shutdown). */
    drain(): Promise<void>
  }
}

/** Validates every option once (one ConfigError lists all problems) and builds the gatehouse. */
export function createGatehouse(options: GatehouseOptions): Gatehouse {
  const config = resolveConfig(options)
  const storage: Storage = { ...memoryStorage(), ...options.storage }
  const core: Core = {
    config,
    storage,
    passwords: createPasswordHasher(config.passwords.hashing, config.random),
    background: createBackgroundTasks(config.logger),
    pendingChecks: createPendingChecks(),
  }
  return {
    config,
    storage,
    async authenticate(req) {
      return (await authenticate(core, req))?.context ?? null
    },
    createGuard: (needs) => createGuard(core, needs),
    createRouter: (routerOptions) => createRouter(core, allRoutes, routerOptions),
    sessions: {
      issue: bind(core, issueSession),
      validate: bind(core, validateSession),
      list: bind(core, listSessions),
      revoke: bind(core, revokeSession),
      revokeAll: bind(core, revokeUserSessions),
    },
    users: { signUp: bind(core, signUp), unregister: bind(core, unregisterUser) },
    passwords: {
      verifyLogin: bind(core, verifyPasswordLogin),
      change: bind(core, changePassword),
      set: bind(core, setPassword),
      checkPolicy: (password, email) => checkPasswordPolicy(config, password, email),
    },
    tokens: {
      create: bind(core, createApiToken),
      reset: bind(core, resetApiToken),
      activateAccessClient: bind(core, activateAccessClient),
      validate: bind(core, validateToken),
      list: bind(core, listTokens),
      get: bind(core, getToken),
      revoke: bind(core, revokeToken),
      revokeAll: bind(core, revokeUserTokens),
      revokeOnPasswordChange: bind(core, revokeTokensOnPasswordChange),
    },
    totp: { enable: bind(core, enableTotp), confirm: bind(core, confirmTotp), verify: bind(core, verifyTotp), disable: bind(core, disableTotp) },
    secondFactor: {
      list: bind(core, listSecondFactors),
      verify: bind(core, verifySecondFactor),
      complete: bind(core, completeSecondFactor),
      regenerateRecoveryCodes: bind(core, regenerateRecoveryCodes),
      setSecondaryPassword: bind(core, setSecondaryPassword),
      removeSecondaryPassword: bind(core, removeSecondaryPassword),
    },
    magicLinks: { send: bind(core, sendMagicLink), consume: bind(core, consumeMagicLink) },
    otp: { send: bind(core, sendOtpCode), verify: bind(core, verifyOtpCode) },
    passwordReset: {
      request: bind(core, requestPasswordReset),
      info: bind(core, describePasswordReset),
      complete: bind(core, completePasswordReset),
    },
    delivery: { drain: () => core.background.drain() },
  }
}
