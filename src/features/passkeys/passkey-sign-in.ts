import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import type { CookieToSet, CredentialRequest } from '../../http/types.js'
import type { FactorRecord, SessionRecord, UserRecord } from '../../storage/ports.js'
import { factorNotEnabled } from '../second-factor/second-factor-errors.js'
import { findPresentedSession } from '../sessions/end-presented-session.js'
import { isSessionLive } from '../sessions/live-session.js'
import { consumePasskeyChallenge, issuePasskeyChallenge } from './passkey-challenge.js'
import { passkeyChallengeInvalid, passkeyRejected } from './passkey-errors.js'
import { findPasskeyByCredentialId, listPasskeyFactors, readCredentialId, readTransports, toWebAuthnCredential } from './passkey-factor.js'
import { passkeyOptions } from './passkey-options.js'
import { userHandleOf } from './register-passkey.js'
import { rejectFromVerifier } from './verifier-failure.js'
import { loadWebAuthn } from './webauthn-library.js'

export interface SignInStart {
  /** For navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options), mediation? }). */
  options: PublicKeyCredentialRequestOptionsJSON
  cookie: CookieToSet
}

/** A passkey that just verified: whose it is, and the pending session it completes (second step) or none (a sign-in). */
export interface VerifiedPasskey {
  user: UserRecord
  factor: FactorRecord
  pendingSession: SessionRecord | null
}

/** The pending session the request carries, when it is live: the passkey is then its second step. */
async function findPendingSession(core: Core, req: CredentialRequest): Promise<SessionRecord | null> {
  const session = await findPresentedSession(core, req)
  return session !== null && session.pendingSecondFactor && isSessionLive(session, core.config.clock.now()) ? session : null
}

/**
 * Options for navigator.credentials.get. Without a pending session: a passwordless sign-in with
 * any discoverable passkey of this site (allowCredentials empty, so conditional UI can offer
 * them in the username field's autofill), user verification required. With a pending session:
 * its second step, limited to that user's passkeys. 400 FACTOR_NOT_ENABLED when that user has none.
 */
export async function startPasskeySignIn(core: Core, req: CredentialRequest): Promise<SignInStart> {
  const { rpId, challengeLifetimeSeconds } = passkeyOptions.of(core)
  const pending = await findPendingSession(core, req)
  const passkeys = pending === null ? [] : await listPasskeyFactors(core, pending.userId)
  if (pending !== null && passkeys.length === 0) throw factorNotEnabled()
  const owner = pending === null ? { userId: null } : { userId: pending.userId, sessionId: pending.id }
  const { challenge, cookie } = await issuePasskeyChallenge(core, 'sign_in', owner)
  const { generateAuthenticationOptions } = await loadWebAuthn()
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    challenge,
    timeout: challengeLifetimeSeconds * 1000,
    allowCredentials: passkeys.map((factor) => ({ id: readCredentialId(factor), transports: readTransports(factor) })),
    userVerification: pending === null ? 'required' : 'preferred',
  })
  return { options, cookie }
}

/**
 * Verifies the browser's answer to startPasskeySignIn: this browser's challenge (used up either
 * way), a registered passkey (of the pending user for a second step), the configured origin and
 * rpId, a valid signature, user verification for a passwordless sign-in, and a signature counter
 * that moved forward when the authenticator keeps one (synced passkeys always send 0). 401
 * PASSKEY_REJECTED otherwise; nothing changes then.
 */
export async function verifyPasskeySignIn(core: Core, req: CredentialRequest, response: AuthenticationResponseJSON): Promise<VerifiedPasskey> {
  const challenge = await consumePasskeyChallenge(core, req, 'sign_in')
  let pendingSession: SessionRecord | null = null
  if (challenge.sessionId !== undefined) {
    pendingSession = await findPendingSession(core, req)
    if (pendingSession?.id !== challenge.sessionId) throw passkeyChallengeInvalid()
  }
  const factor = await findPasskeyByCredentialId(core, response.id)
  if (factor === null) throw passkeyRejected('This passkey is not registered here.')
  if (challenge.userId !== null && factor.userId !== challenge.userId) throw passkeyRejected('This passkey belongs to another account.')
  // The authenticator names the account it created the passkey for; it must be the passkey's owner.
  const userHandle = response.response.userHandle
  if (userHandle && !equalsConstantTime(userHandle, Buffer.from(userHandleOf(factor.userId)).toString('base64url'))) {
    throw passkeyRejected('The passkey names another account.')
  }
  const { rpId, origins } = passkeyOptions.of(core)
  const { verifyAuthenticationResponse } = await loadWebAuthn()
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge: (value) => equalsConstantTime(value, challenge.challenge),
    expectedOrigin: origins,
    expectedRPID: rpId,
    credential: toWebAuthnCredential(factor),
    requireUserVerification: pendingSession === null,
  }).catch(rejectFromVerifier)
  if (!verified.verified) rejectFromVerifier(undefined)
  const { newCounter } = verified.authenticationInfo
  // Atomic: of two uses of one counter value (a cloned authenticator racing) only one passes.
  if (newCounter > 0 && !(await core.storage.factors.advanceStep(factor.id, newCounter))) {
    throw passkeyRejected('The signature counter did not move forward: the passkey may have been cloned.')
  }
  const user = await core.storage.users.getById(factor.userId)
  if (user === null) throw passkeyRejected('This passkey is not registered here.')
  await core.storage.factors.update(factor.id, { lastUsedAt: core.config.clock.now() })
  return { user, factor, pendingSession }
}
