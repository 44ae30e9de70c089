import type { Core } from '../../core.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { maskEmail, normalizeEmail } from '../../http/email.js'
import type { UserRecord } from '../../storage/ports.js'
import { assertEmailVerificationEnabled } from './email-verification-access.js'
import { emailVerificationOptions } from './email-verification-options.js'

/** A link proving the account's current address. */
export const emailVerificationPurpose = 'email_verification'
/** A link proving the address the account moves to; the move happens only when it is opened. */
export const emailChangePurpose = 'email_change'

export interface EmailVerificationSent {
  /** The masked address the link went to. */
  sentTo: string
  expiresAt: number
}

export interface VerificationLink {
  purpose: typeof emailVerificationPurpose | typeof emailChangePurpose
  /** The address the link goes to and proves. */
  to: string
  /** Stored with the link (never the token): what opening it must still find true. */
  data: Record<string, string>
  locales?: readonly string[] | undefined
}

/**
 * Mails a link to the verify route and stores only its token's sha256, bound to the user; a new
 * link of the same purpose supersedes the user's previous one.
 */
export async function mailVerificationLink(core: Core, user: UserRecord, link: VerificationLink): Promise<EmailVerificationSent> {
  const { clock, random } = core.config
  const { ttlSeconds } = emailVerificationOptions.of(core)
  const token = createSecret(random)
  const now = clock.now()
  const expiresAt = now + ttlSeconds * 1000
  await core.storage.verifications.create({
    id: createId(random),
    purpose: link.purpose,
    subject: user.id,
    userId: user.id,
    secretHash: sha256Hex(token),
    data: link.data,
    attempts: 0,
    createdAt: now,
    expiresAt,
  })
  const url = core.urls.of('emailVerificationVerify')
  url.searchParams.set('token', token)
  const masked = maskEmail(link.to)
  await deliverMessage(core, { medium: 'email', to: link.to, masked }, link.to, 'email_verification', link.locales ?? [], {
    link: url.href,
    lifetimeMinutes: Math.ceil(ttlSeconds / 60),
    ...(link.purpose === emailChangePurpose ? { newEmail: link.to } : {}),
  })
  return { sentTo: masked, expiresAt }
}

export type SendEmailVerificationInput = ({ userId: string; email?: never } | { email: string; userId?: never }) & {
  /** Preferred locales for the e-mail, best first. */
  locales?: readonly string[] | undefined
}

/**
 * Mails a verification link for the account's current address. Answers where it went, or null
 * when nothing was sent: no such user, or the address is verified already. 404 FEATURE_DISABLED.
 */
export async function sendEmailVerification(core: Core, input: SendEmailVerificationInput): Promise<EmailVerificationSent | null> {
  assertEmailVerificationEnabled(core)
  const user =
    input.userId !== undefined ? await core.storage.users.getById(input.userId) : await core.storage.users.getByEmail(normalizeEmail(input.email))
  if (user === null || user.emailVerifiedAt !== null) return null
  return mailVerificationLink(core, user, { purpose: emailVerificationPurpose, to: user.email, data: { email: user.email }, locales: input.locales })
}
