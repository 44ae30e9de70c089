import type { Core } from '../../core.js'
import type { CredentialRequest } from '../../http/types.js'
import { listSecondFactors } from '../second-factor/list-second-factors.js'
import type { SecondFactorMethod } from '../second-factor/second-factor-method.js'
import type { UserRecord } from '../../storage/ports.js'
import { endPresentedSession } from './end-presented-session.js'
import { type IssuedSession, issueSession } from './issue-session.js'
import { secondFactorOptions } from '../second-factor/second-factor-options.js'

/** A session just begun: complete, or pending while `secondFactors` is not empty. */
export interface StartedSession {
  user: UserRecord
  issued: IssuedSession
  /** The factors that can complete a pending session; empty when the session is complete. */
  secondFactors: SecondFactorMethod[]
}

export interface StartOptions {
  /** True for a method that is two factors by itself (a passkey with user verification: something held and something known or been). */
  multiFactor?: boolean | undefined
  /** Ends the session sooner than the absolute timeout. */
  lifetimeSeconds?: number | undefined
}

/**
 * Begins a session for a user who just proved who they are, through `method` ('password',
 * 'magic_link', ...). Every sign-in path comes here, so none can skip the second factor: a user
 * who has one gets a short pending session that can only complete it, unless the method was
 * itself multi-factor. Any session the request carried ends first (rotation), so a session
 * planted before sign-in never becomes an authenticated one. `lifetimeSeconds` ends the session
 * sooner than the absolute timeout (an IdP's SessionNotOnOrAfter).
 */
export async function startSession(core: Core, req: CredentialRequest, user: UserRecord, method: string, options: StartOptions = {}): Promise<StartedSession> {
  await endPresentedSession(core, req)
  const secondFactors = options.multiFactor === true ? [] : await listSecondFactors(core, user.id)
  const pending = secondFactors.length > 0
  const issued = await issueSession(core, {
    userId: user.id,
    factors: [{ method, at: core.config.clock.now() }],
    pendingSecondFactor: pending,
    lifetimeSeconds: pending ? Math.min(secondFactorOptions.of(core).pendingLifetimeSeconds, options.lifetimeSeconds ?? Infinity) : options.lifetimeSeconds,
    ip: req.ip,
    userAgent: req.headers.get('user-agent'),
  })
  await core.recordEvent({ type: 'login_succeeded', method, pendingSecondFactor: pending, userId: user.id, sessionId: issued.session.id }, req)
  return { user, issued, secondFactors }
}
