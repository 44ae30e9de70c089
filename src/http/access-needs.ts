import { z } from 'zod'
import type { Authenticated } from './auth-context.js'
import type { Core } from '../core.js'
import { scopeMissing, secondFactorRequired } from '../errors/auth-error.js'
import { ConfigError } from '../errors/config-error.js'

/** What a guarded route needs beyond a signed-in user. */
export interface GuardNeeds {
  /** Every one of these scopes; a session has all scopes, a token only those it was given. */
  scopes?: string[] | undefined
  /** A second factor used in this session. */
  secondFactor?: boolean | undefined
  /** A second factor used within this many seconds (step-up for sensitive actions). */
  secondFactorWithinSeconds?: number | undefined
}

/** Needs checked once, in the form the per-request check wants. */
export interface CompiledNeeds {
  scopes: readonly string[]
  wantsSecondFactor: boolean
  withinMs: number | undefined
}

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

/** Validates `needs` once (ConfigError naming `where`). */
export function compileNeeds(needs: GuardNeeds, where: string): CompiledNeeds {
  const parsed = needsSchema.safeParse(needs)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${where} ${issue.path.join('.')}: ${issue.message}`))
  const withinMs = needs.secondFactorWithinSeconds === undefined ? undefined : needs.secondFactorWithinSeconds * 1000
  return { scopes: needs.scopes ?? [], wantsSecondFactor: needs.secondFactor === true || withinMs !== undefined, withinMs }
}

/** 403 SCOPE_MISSING or SECOND_FACTOR_REQUIRED unless the caller has what `needs` asks for. */
export function checkNeeds(core: Core, auth: Authenticated, needs: CompiledNeeds): void {
  const { context, factors } = auth
  if (context.scopes !== undefined) {
    for (const scope of needs.scopes) {
      if (!context.scopes.includes(scope)) throw scopeMissing(scope)
    }
  }
  if (needs.wantsSecondFactor) {
    const oldest = needs.withinMs === undefined ? Number.NEGATIVE_INFINITY : core.config.clock.now() - needs.withinMs
    if (!factors.some((factor) => secondFactorMethods.has(factor.method) && factor.at >= oldest)) throw secondFactorRequired()
  }
}
