import type { Core } from '../../core.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { readCookie } from '../../http/cookies.js'
import type { CookieToSet, CredentialRequest } from '../../http/types.js'
import { passkeyChallengeInvalid } from './passkey-errors.js'
import { passkeyOptions } from './passkey-options.js'

/** Registering a passkey, or signing in with one (first factor, or the second step of a pending session). */
export type PasskeyCeremony = 'registration' | 'sign_in'

/** The challenge the authenticator signs: 32 random bytes, base64url as in clientDataJSON. */
export interface IssuedChallenge {
  challenge: Uint8Array<ArrayBuffer>
  /** Binds the challenge to this browser; set it on the options answer. */
  cookie: CookieToSet
}

export interface ChallengeRecord {
  /** base64url, compared with clientDataJSON's challenge. */
  challenge: string
  /** Whose ceremony it is: the registering user, or the pending session's user. Null for a passwordless sign-in. */
  userId: string | null
  /** For the second step: the pending session the challenge was issued to. */
  sessionId: string | undefined
}

const CHALLENGE_BYTES = 32

/** The ceremony cookie: its value is a random binding key, only its hash is stored. */
function ceremonyCookieName(core: Core): string {
  return `${core.config.cookie.name}_passkey`
}

function ceremonyCookie(core: Core, value: string, maxAgeSeconds: number): CookieToSet {
  return { name: ceremonyCookieName(core), value, options: { httpOnly: true, secure: core.config.secure, sameSite: 'lax', path: '/', maxAge: maxAgeSeconds } }
}

/** Clears the ceremony cookie once its challenge is used. */
export function clearedCeremonyCookie(core: Core): CookieToSet {
  return ceremonyCookie(core, '', 0)
}

/**
 * Issues a single-use challenge bound to the browser: a random key goes into an HttpOnly cookie
 * and the challenge is stored under the key's hash, so only the browser that asked can answer
 * it, and only once. A new ceremony in the same browser supersedes the previous one.
 */
export async function issuePasskeyChallenge(
  core: Core,
  ceremony: PasskeyCeremony,
  owner: { userId: string | null; sessionId?: string | undefined },
): Promise<IssuedChallenge> {
  const { random, clock } = core.config
  const lifetimeSeconds = passkeyOptions.of(core).challengeLifetimeSeconds
  const binding = createSecret(random)
  const challenge = new Uint8Array(random.bytes(CHALLENGE_BYTES))
  const bindingHash = sha256Hex(binding)
  const now = clock.now()
  await core.storage.verifications.create({
    id: createId(random),
    purpose: `passkey_${ceremony}`,
    subject: bindingHash,
    userId: owner.userId,
    secretHash: bindingHash,
    data: { challenge: Buffer.from(challenge).toString('base64url'), ...(owner.sessionId === undefined ? {} : { sessionId: owner.sessionId }) },
    attempts: 0,
    createdAt: now,
    expiresAt: now + lifetimeSeconds * 1000,
  })
  return { challenge, cookie: ceremonyCookie(core, binding, lifetimeSeconds) }
}

/**
 * Uses up the challenge this browser was given for the ceremony (whatever the outcome after: a
 * challenge never gets a second try). 400 PASSKEY_CHALLENGE_INVALID without one.
 */
export async function consumePasskeyChallenge(core: Core, req: CredentialRequest, ceremony: PasskeyCeremony): Promise<ChallengeRecord> {
  const binding = readCookie(req.headers, ceremonyCookieName(core))
  if (binding === undefined || binding.length === 0 || binding.length > 128) throw passkeyChallengeInvalid()
  const record = await core.storage.verifications.consume(`passkey_${ceremony}`, sha256Hex(binding), core.config.clock.now())
  const challenge = record?.data?.challenge
  if (record === null || challenge === undefined) throw passkeyChallengeInvalid()
  return { challenge, userId: record.userId, sessionId: record.data?.sessionId }
}
