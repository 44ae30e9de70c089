import type { AuthErrorCode } from '../../errors/error-catalogue.js'
import type { TokenKind } from '../../storage/ports.js'

/** What every security event carries besides its own fields. Never a secret: no token, password, code or link. */
export interface SecurityEventContext {
  /** When it happened, from the core clock (milliseconds since the epoch). */
  at: number
  /** The account concerned, when known (a failed login to an unknown address has none). */
  userId: string | null
  /** The public id of the session the request carried or began, when there is one (never its token). */
  sessionId: string | null
  /** The client address as the adapter read it (the host's proxy setting decides). */
  ip: string | null
  userAgent: string | null
  workspaceId: string | null
}

/** The fields of each event type; `type` tells them apart. */
export type SecurityEventDetails =
  | { type: 'signup' }
  /** `method`: 'password', 'magic_link', ...; `pendingSecondFactor`: the session still needs its second factor. */
  | { type: 'login_succeeded'; method: string; pendingSecondFactor: boolean }
  /** `reason`: the error code the login answered (INVALID_CREDENTIALS, RATE_LIMITED, HUMAN_VERIFICATION_REQUIRED, ...). */
  | { type: 'login_failed'; reason: AuthErrorCode; email: string }
  | { type: 'logout' }
  | { type: 'session_revoked'; revokedSessionId: string }
  | { type: 'password_changed' }
  | { type: 'password_reset' }
  /** `factor`: 'totp', 'recovery_code', 'secondary_password', 'otp'. */
  | { type: 'factor_added'; factor: string }
  | { type: 'factor_removed'; factor: string }
  | { type: 'factor_used'; factor: string }
  /** Too many wrong attempts: the factor answers 429 for a while. */
  | { type: 'factor_locked'; factor: string }
  | { type: 'token_created'; tokenId: string; kind: TokenKind }
  | { type: 'token_revoked'; tokenId: string; kind: TokenKind }
  | { type: 'magic_link_sent' }
  | { type: 'magic_link_used' }
  | { type: 'email_verified' }
  /** The account moved to a proven new address; `previousEmail` is the one it left. */
  | { type: 'email_changed'; previousEmail: string }
  /** `workspaceId` is the workspace joined; `role` the role received. */
  | { type: 'invitation_accepted'; role: string }
  /** A SAML response refused at the ACS; `reason` is the error code it answered. */
  | { type: 'sso_assertion_rejected'; reason: string }

/** One security-relevant outcome, as `onEvent` receives it and the audit store keeps it. */
export type SecurityEvent = SecurityEventContext & SecurityEventDetails

export type SecurityEventType = SecurityEvent['type']

/** What a feature hands `core.recordEvent`: the event's own fields and the ids it knows; time, IP and user agent are filled in. */
export type SecurityEventInput = SecurityEventDetails & Partial<Pick<SecurityEventContext, 'userId' | 'sessionId' | 'workspaceId'>>

/** `onEvent`: called once per event; what it throws or rejects with is logged (warn, once) and never fails the request. */
export type SecurityEventListener = (event: SecurityEvent) => void | Promise<void>
