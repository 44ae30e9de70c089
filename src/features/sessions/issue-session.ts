import type { Core } from '../../core.js'
import { createId, createSecret, tokenPrefixes } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { type PublicSession, toPublicSession } from '../../http/auth-context.js'
import type { FactorUse, SessionRecord } from '../../storage/ports.js'

export interface IssueSessionInput {
  userId: string
  /** Factors used to get here, e.g. [{ method: 'password', at }]. */
  factors: FactorUse[]
  /** True when a second factor must still be given before the session is complete. */
  pendingSecondFactor?: boolean | undefined
  /** Ends the session sooner than the absolute timeout (a pending session, a step-up keeping its end). Never later. */
  lifetimeSeconds?: number | undefined
  ip?: string | null | undefined
  userAgent?: string | null | undefined
}

export interface IssuedSession {
  /** The secret: goes into the cookie or to the client once, never into storage. */
  token: string
  session: SessionRecord
}

/** An issued session as the gate object answers it: the secret once, and no record internals. */
export interface PublicIssuedSession {
  /** The secret: goes into the cookie or to the client once. */
  token: string
  session: PublicSession
}

export function toPublicIssuedSession(issued: IssuedSession): PublicIssuedSession {
  return { token: issued.token, session: toPublicSession(issued.session) }
}

/**
 * Creates a session with a fresh random token (or `keptToken`, the token of the session this
 * one replaces, see `secondFactor.keepSessionToken`); only the token's sha256 is stored.
 */
export async function issueSession(core: Core, input: IssueSessionInput, keptToken?: string): Promise<IssuedSession> {
  const { clock, random, sessions } = core.config
  const now = clock.now()
  const token = keptToken ?? createSecret(random, tokenPrefixes.session)
  const session: SessionRecord = {
    id: createId(random),
    tokenHash: sha256Hex(token),
    userId: input.userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + Math.min(input.lifetimeSeconds ?? Number.POSITIVE_INFINITY, sessions.absoluteTimeoutSeconds) * 1000,
    idleExpiresAt: now + sessions.idleTimeoutSeconds * 1000,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    pendingSecondFactor: input.pendingSecondFactor ?? false,
    factors: input.factors,
  }
  await core.storage.sessions.create(session)
  return { token, session }
}

/** Seconds the session cookie should live: until the absolute end. */
export function sessionCookieMaxAgeSeconds(core: Core, session: SessionRecord): number {
  return Math.max(0, Math.floor((session.expiresAt - core.config.clock.now()) / 1000))
}
