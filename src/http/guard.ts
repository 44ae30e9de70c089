import type { AuthContext } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { csrfRejected, secondFactorRequired, unauthenticated } from '../errors/auth-error.js'
import { type GuardNeeds, checkNeeds, compileNeeds } from './access-needs.js'
import { isCrossOriginRequest, isSafeMethod } from './csrf.js'
import type { CredentialRequest } from './types.js'

export type Guard = (req: CredentialRequest) => Promise<AuthContext>

/**
 * Builds the check a guard runs on every request. Options are validated here, once; the returned
 * function does only the credential lookup and these comparisons.
 */
export function createGuard(core: Core, needs: GuardNeeds = {}): Guard {
  const compiled = compileNeeds(needs, 'requireAuth')
  return async (req) => {
    const auth = await authenticate(core, req)
    if (auth === null) throw unauthenticated()
    if (auth.context.method === 'cookie' && !isSafeMethod(req.method) && isCrossOriginRequest(req, core.config.allowedOrigins)) {
      throw csrfRejected()
    }
    if (auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    checkNeeds(core, auth, compiled)
    return auth.context
  }
}
