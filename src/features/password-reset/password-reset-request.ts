import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { maskEmail, normalizeEmail } from '../../http/email.js'
import { assertPasswordResetEnabled, createPasswordResetKey, hashPasswordResetKey, passwordResetPurpose } from './password-reset-key.js'
import { passwordResetOptions } from './password-reset-options.js'

export interface PasswordResetRequest {
  email: string
  /** Preferred locales for the e-mail, best first. */
  locales?: readonly string[] | undefined
}

/**
 * Mails a reset link to the account with this e-mail, superseding any earlier one. Answers
 * whether there was such an account: a host route must not pass that on (the passwordResetRequest
 * route does this work after answering). Throws 404 FEATURE_DISABLED, or what the mailer throws.
 */
export async function requestPasswordReset(core: Core, input: PasswordResetRequest): Promise<boolean> {
  assertPasswordResetEnabled(core)
  const user = await core.storage.users.getByEmail(normalizeEmail(input.email))
  if (user === null) return false
  const { clock, random } = core.config
  const passwordReset = passwordResetOptions.of(core)
  const key = createPasswordResetKey(core, user.id)
  const now = clock.now()
  await core.storage.verifications.create({
    id: createId(random),
    purpose: passwordResetPurpose,
    subject: user.id,
    userId: user.id,
    secretHash: hashPasswordResetKey(key),
    data: { email: user.email },
    attempts: 0,
    createdAt: now,
    expiresAt: now + passwordReset.lifetimeSeconds * 1000,
  })
  const destination = { medium: 'email' as const, to: user.email, masked: maskEmail(user.email) }
  await deliverMessage(core, destination, user.email, 'password_reset', input.locales ?? [], {
    link: passwordResetLink(core, passwordReset.linkPath, key),
    lifetimeMinutes: Math.ceil(passwordReset.lifetimeSeconds / 60),
  })
  return true
}

/** The mailed link: the host's page when configured, else the passwordResetInfo route wherever it is mounted. */
function passwordResetLink(core: Core, pagePath: string | null, key: string): string {
  const { baseUrl } = core.config
  const url = pagePath === null ? core.urls.of('passwordResetInfo') : new URL(`${baseUrl.pathname.replace(/\/$/, '')}${pagePath}`, baseUrl.origin)
  url.searchParams.set('key', key)
  return url.href
}
