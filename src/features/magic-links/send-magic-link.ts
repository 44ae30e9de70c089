import type { Core } from '../../core.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { maskEmail, normalizeEmail } from '../../http/email.js'
import { assertMagicLinksEnabled, resolveMagicLinkRedirect } from './magic-link-redirect.js'
import { magicLinkOptions } from './magic-link-options.js'

export const magicLinkPurpose = 'magic_link'

/** Whom to send a link to: an e-mail address, or a user id (server-to-server, as Lagrello does). */
export type SendMagicLinkInput = ({ email: string; userId?: never } | { userId: string; email?: never }) & {
  /** Where the browser lands after signing in; must pass the redirect allow-list. Default `magicLinks.defaultRedirect`. */
  redirectTo?: string | undefined
  /** Preferred locales for the e-mail, best first. */
  locales?: readonly string[] | undefined
}

export interface MagicLinkSent {
  /** The masked address the link went to. */
  sentTo: string
  expiresAt: number
}

/** The mailed link: the host's `linkUrl` with the token in it, or the verify route's URL. */
function magicLinkUrl(core: Core, linkUrl: string | null, token: string): string {
  if (linkUrl !== null) return linkUrl.replaceAll('{token}', encodeURIComponent(token))
  const url = core.urls.of('magicLinkVerify')
  url.searchParams.set('token', token)
  return url.href
}

/**
 * Sends a sign-in link and answers where it went, or null when there is no such user (and
 * `createUsers` is off). A new link supersedes the previous one. Only the link token's sha256 is
 * stored, bound to the user and to the address it was sent to. Throws 400 INVALID_REDIRECT, 404
 * FEATURE_DISABLED, or what the mailer throws.
 */
export async function sendMagicLink(core: Core, input: SendMagicLinkInput): Promise<MagicLinkSent | null> {
  assertMagicLinksEnabled(core)
  const redirectTo = resolveMagicLinkRedirect(core, input.redirectTo)
  const { clock, random } = core.config
  const magicLinks = magicLinkOptions.of(core)
  const user =
    input.userId !== undefined
      ? await core.storage.users.getById(input.userId)
      : await core.storage.users.getByEmail(normalizeEmail(input.email))
  const email = user?.email ?? (input.email === undefined ? undefined : normalizeEmail(input.email))
  if (email === undefined || (user === null && !magicLinks.createUsers)) return null

  const token = createSecret(random)
  const now = clock.now()
  const expiresAt = now + magicLinks.lifetimeSeconds * 1000
  await core.storage.verifications.create({
    id: createId(random),
    purpose: magicLinkPurpose,
    subject: user?.id ?? email,
    userId: user?.id ?? null,
    secretHash: sha256Hex(token),
    data: { email, redirectTo },
    attempts: 0,
    createdAt: now,
    expiresAt,
  })
  const link = magicLinkUrl(core, magicLinks.linkUrl, token)
  const destination = { medium: 'email' as const, to: email, masked: maskEmail(email) }
  await deliverMessage(core, destination, email, 'magic_link', input.locales ?? [], {
    link,
    lifetimeMinutes: Math.ceil(magicLinks.lifetimeSeconds / 60),
  })
  return { sentTo: destination.masked, expiresAt }
}
