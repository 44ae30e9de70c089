import type { AuthContext } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { secondFactorRequired, unauthenticated } from '../errors/auth-error.js'
import { type GuardNeeds, checkNeeds, checkWorkspaceNeeds, compileNeeds } from './access-needs.js'
import { rejectCrossSiteCookieRequest } from './csrf.js'
import type { CredentialRequest } from './types.js'
import { createVerificationCheck, emailNotVerified } from '../features/email-verification/email-verification-access.js'

export type Guard = (req: CredentialRequest) => Promise<AuthContext>

/** The check behind optionalAuth: the caller, or undefined for an anonymous one. */
export type OptionalGuard = (req: CredentialRequest) => Promise<AuthContext | undefined>

/**
 * Builds the check a guard runs on every request. Options are validated here, once; the returned
 * function does only the credential lookup and these comparisons.
 */
export function createGuard(core: Core, needs: GuardNeeds = {}): Guard {
  const compiled = compileNeeds(core, needs, 'requireAuth')
  const awaitsVerification = createVerificationCheck(core)
  return async (req) => {
    const auth = await authenticate(core, req)
    if (auth === null) throw unauthenticated()
    rejectCrossSiteCookieRequest(core, req, auth)
    if (auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    if (awaitsVerification(auth.user)) throw emailNotVerified()
    checkNeeds(core, auth, compiled)
    // No await without workspace needs: most guards are on the hot path.
    if (compiled.workspace === undefined) return auth.context
    return { ...auth.context, ...(await checkWorkspaceNeeds(core, auth, compiled, req)) }
  }
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
  return async (req) => {
    const auth = await authenticate(core, req)
    if (auth === null || auth.session?.pendingSecondFactor === true || awaitsVerification(auth.user)) return undefined
    rejectCrossSiteCookieRequest(core, req, auth)
    return auth.context
  }
}
