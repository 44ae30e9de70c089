import { type MaybePromise, isPromiseLike, thenMaybe } from '../async/maybe-promise.js'
import type { AuthContext, Authenticated } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { secondFactorRequired, unauthenticated } from '../errors/auth-error.js'
import { type GuardNeeds, checkNeeds, checkWorkspaceNeeds, compileNeeds } from './access-needs.js'
import { rejectCrossSiteCookieRequest } from './csrf.js'
import type { CredentialRequest } from './types.js'
import { createVerificationCheck, emailNotVerified } from '../features/email-verification/email-verification-access.js'

/**
 * The check a guard runs: the caller's AuthContext, as a value when everything it needed was in
 * process (memory storage, a near-cache hit) and as a native Promise otherwise (`instanceof
 * Promise` tells them apart; `await` takes both). Failures are always a rejected promise, never a
 * synchronous throw.
 */
export type Guard = (req: CredentialRequest) => MaybePromise<AuthContext>

/** The check behind optionalAuth: the caller, or undefined for an anonymous one (a value or a promise, as Guard). */
export type OptionalGuard = (req: CredentialRequest) => MaybePromise<AuthContext | undefined>

/**
 * The guard around `admit`: authenticate, then admit the caller, in the same tick when
 * authenticate answered at once; a synchronous throw becomes a rejected promise (the Guard contract).
 */
function checkWith<T>(core: Core, admit: (req: CredentialRequest, auth: Authenticated | null) => MaybePromise<T>): (req: CredentialRequest) => MaybePromise<T> {
  return (req) => {
    try {
      const auth = authenticate(core, req)
      return isPromiseLike(auth) ? thenMaybe(auth, (found) => admit(req, found)) : admit(req, auth)
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/**
 * Builds the check a guard runs on every request. Options are validated here, once; the returned
 * function does only the credential lookup and these comparisons.
 */
export function createGuard(core: Core, needs: GuardNeeds = {}): Guard {
  const compiled = compileNeeds(core, needs, 'requireAuth')
  const awaitsVerification = createVerificationCheck(core)
  const admit = (req: CredentialRequest, auth: Authenticated | null): MaybePromise<AuthContext> => {
    if (auth === null) throw unauthenticated()
    rejectCrossSiteCookieRequest(core, req, auth)
    if (auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    if (awaitsVerification(auth.user)) throw emailNotVerified()
    checkNeeds(core, auth, compiled)
    if (compiled.workspace === undefined) return auth.context
    return checkWorkspaceNeeds(core, auth, compiled, req).then((workspace) => ({ ...auth.context, ...workspace }))
  }
  return checkWith(core, admit)
}

/**
 * The check behind optionalAuth. No credentials, a session still pending its second factor and
 * a user still to verify a required e-mail are anonymous (a browser half-way through signing in still reads public pages). Credentials
 * that fail are answered as requireAuth answers them (401, or 403 for a cross-site unsafe request
 * with the cookie, or Basic credentials of a user with a second factor): a client that sends
 * credentials means to be someone, and serving it as anonymous would hide that they failed.
 */
export function createOptionalGuard(core: Core): OptionalGuard {
  const awaitsVerification = createVerificationCheck(core)
  const admit = (req: CredentialRequest, auth: Authenticated | null): AuthContext | undefined => {
    if (auth === null || auth.session?.pendingSecondFactor === true || awaitsVerification(auth.user)) return undefined
    rejectCrossSiteCookieRequest(core, req, auth)
    return auth.context
  }
  return checkWith(core, admit)
}
