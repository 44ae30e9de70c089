import { z } from 'zod'
import type { AuthContext } from './auth-context.js'
import { authenticate } from './authenticate.js'
import type { Core } from '../core.js'
import { AuthError, ConfigError, unauthenticated } from '../errors/auth-error.js'
import { isCrossOriginRequest, isSafeMethod } from './csrf.js'
import { csrfRejected, secondFactorRequired } from './router.js'
import type { CredentialRequest } from './types.js'

/** What a guarded route needs beyond a signed-in user. */
export interface GuardNeeds {
  /** Every one of these scopes; a session has all scopes, a token only those it was given. */
  scopes?: string[]
  /** A second factor used in this session. */
  secondFactor?: boolean
  /** A second factor used within this many seconds (step-up for sensitive actions). */
  secondFactorWithinSeconds?: number
}

export type Guard = (req: CredentialRequest) => Promise<AuthContext>

const needsSchema = z
  .object({
    scopes: z.array(z.string().min(1)),
    secondFactor: z.boolean(),
    secondFactorWithinSeconds: z.number().int().positive(),
  })
  .partial()
  .strict()

/** Factor methods that count as a second factor. */
export const secondFactorMethods: ReadonlySet<string> = new Set(['totp', 'recovery_code', 'otp', 'secondary_password'])

/**
 * Builds the check a guard runs on every request. Options are validated here, once; the returned
 * function does only the credential lookup and these comparisons.
 */
export function createGuard(core: Core, needs: GuardNeeds = {}): Guard {
  const parsed = needsSchema.safeParse(needs)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `requireAuth ${issue.path.join('.')}: ${issue.message}`))
  const scopes = needs.scopes ?? []
  const withinMs = needs.secondFactorWithinSeconds === undefined ? undefined : needs.secondFactorWithinSeconds * 1000
  const wantsSecondFactor = needs.secondFactor === true || withinMs !== undefined

  return async (req) => {
    const auth = await authenticate(core, req)
    if (auth === null) throw unauthenticated()
    const { context } = auth
    if (context.method === 'cookie' && !isSafeMethod(req.method) && isCrossOriginRequest(req, core.config.allowedOrigins)) {
      throw csrfRejected()
    }
    if (auth.session?.pendingSecondFactor === true) throw secondFactorRequired()
    if (context.scopes !== undefined) {
      for (const scope of scopes) {
        if (!context.scopes.includes(scope)) throw new AuthError('SCOPE_MISSING', 403, `This needs the '${scope}' scope.`)
      }
    }
    if (wantsSecondFactor) {
      const oldest = withinMs === undefined ? Number.NEGATIVE_INFINITY : core.config.clock.now() - withinMs
      if (!context.factors.some((factor) => secondFactorMethods.has(factor.method) && factor.at >= oldest)) throw secondFactorRequired()
    }
    return context
  }
}
