import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { AuthError } from '../../errors/auth-error.js'
import type { CookieToSet, CredentialRequest } from '../../http/types.js'
import type { FactorRecord, UserRecord } from '../../storage/ports.js'
import { consumePasskeyChallenge, issuePasskeyChallenge } from './passkey-challenge.js'
import { passkeyChallengeInvalid } from './passkey-errors.js'
import { listPasskeyFactors, passkeyFactorId, readCredentialId, readTransports } from './passkey-factor.js'
import { passkeyOptions } from './passkey-options.js'
import { rejectFromVerifier } from './verifier-failure.js'
import { loadWebAuthn } from './webauthn-library.js'

/** Enough for every device a person owns, few enough that a listing stays small. */
export const MAX_PASSKEYS_PER_USER = 20

export interface RegistrationStart {
  /** For navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) }). */
  options: PublicKeyCredentialCreationOptionsJSON
  cookie: CookieToSet
}

/** The user handle authenticators keep: the user id, which is neither secret nor personal. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'))
}

/**
 * Options to create a discoverable passkey for the user (so it can sign in without an e-mail),
 * with attestation 'none' (no device data is asked for) and the user's passkeys excluded, under
 * a challenge bound to this browser.
 */
export async function startPasskeyRegistration(core: Core, user: UserRecord): Promise<RegistrationStart> {
  const existing = await listPasskeyFactors(core, user.id)
  if (existing.length >= MAX_PASSKEYS_PER_USER) throw new AuthError('CONFLICT', { message: `An account has at most ${MAX_PASSKEYS_PER_USER} passkeys; remove one first.` })
  const { rpId, rpName, challengeLifetimeSeconds } = passkeyOptions.of(core)
  const { challenge, cookie } = await issuePasskeyChallenge(core, 'registration', { userId: user.id })
  const { generateRegistrationOptions } = await loadWebAuthn()
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: user.email,
    userID: userHandleOf(user.id),
    userDisplayName: user.name ?? user.email,
    challenge,
    timeout: challengeLifetimeSeconds * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((factor) => ({ id: readCredentialId(factor), transports: readTransports(factor) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  })
  return { options, cookie }
}

/**
 * Verifies the browser's answer to startPasskeyRegistration and stores the passkey: the challenge
 * must be this browser's and this user's (used up either way), the origin and rpId the configured
 * ones. 401 PASSKEY_REJECTED when it does not verify, 409 CONFLICT for a credential already registered.
 */
export async function finishPasskeyRegistration(
  core: Core,
  req: CredentialRequest,
  user: UserRecord,
  input: { response: RegistrationResponseJSON; name?: string | undefined },
): Promise<FactorRecord> {
  const challenge = await consumePasskeyChallenge(core, req, 'registration')
  if (challenge.userId !== user.id) throw passkeyChallengeInvalid()
  const { rpId, origins } = passkeyOptions.of(core)
  const { verifyRegistrationResponse } = await loadWebAuthn()
  const verified = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: (value) => equalsConstantTime(value, challenge.challenge),
    expectedOrigin: origins,
    expectedRPID: rpId,
    // Second-factor-only security keys may lack user verification; passwordless sign-in demands it each time.
    requireUserVerification: false,
  }).catch(rejectFromVerifier)
  if (!verified.verified) rejectFromVerifier(undefined)
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo
  const count = (await listPasskeyFactors(core, user.id)).length
  const now = core.config.clock.now()
  const factor: FactorRecord = {
    id: passkeyFactorId(credential.id),
    userId: user.id,
    kind: 'passkey',
    secret: Buffer.from(credential.publicKey).toString('base64url'),
    confirmedAt: now,
    lastUsedStep: credential.counter,
    createdAt: now,
    name: input.name ?? `Passkey ${count + 1}`,
    data: {
      credentialId: credential.id,
      transports: (input.response.response.transports ?? []).join(','),
      deviceType: credentialDeviceType,
      backedUp: String(credentialBackedUp),
    },
    lastUsedAt: null,
  }
  if ((await core.storage.factors.create(factor)) === 'id_taken') throw new AuthError('CONFLICT', { message: 'This passkey is already registered.' })
  return factor
}
