import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { type Medium, findMessageDestination } from '../../delivery/message-destination.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import { parseInput } from '../../http/read-input.js'
import { createOtpCode, hashOtpCode, otpPurposeField, otpRecordPurpose, secondFactorPurpose } from './otp-code.js'
import { otpOptions } from './otp-options.js'

export interface SendOtpCodeInput {
  medium: Medium
  /** What the code will confirm. Default 'second_factor'. */
  purpose?: string | undefined
  /** Preferred locales for the message, best first. */
  locales?: readonly string[] | undefined
}

export interface OtpCodeSent {
  /** Masked addresses the code went to, e.g. ['j***@example.com']. */
  sentTo: string[]
  expiresAt: number
}

/**
 * Sends a fresh six-digit code to the user by e-mail or SMS; it supersedes their previous code
 * for the same purpose. Only a hash bound to purpose and user is stored. Throws 400
 * MEDIUM_UNAVAILABLE or NO_PHONE_NUMBER, 404 for an unknown user, 502 DELIVERY_FAILED when the
 * sender fails (the code is then withdrawn).
 */
export async function sendOtpCode(core: Core, userId: string, input: SendOtpCodeInput): Promise<OtpCodeSent> {
  const purpose = parseInput(otpPurposeField, input.purpose ?? secondFactorPurpose)
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  const destination = await findMessageDestination(core, user, input.medium)
  const { clock, random } = core.config
  const otp = otpOptions.of(core)
  const code = createOtpCode(random)
  const now = clock.now()
  const record = {
    id: createId(random),
    purpose: otpRecordPurpose(purpose),
    subject: user.id,
    userId: user.id,
    secretHash: hashOtpCode(purpose, user.id, code),
    data: { medium: input.medium },
    attempts: 0,
    createdAt: now,
    expiresAt: now + otp.lifetimeSeconds * 1000,
  }
  await core.storage.verifications.create(record)
  try {
    await deliverMessage(core, destination, user.email, 'otp', input.locales ?? [], {
      code,
      purpose,
      lifetimeMinutes: Math.ceil(otp.lifetimeSeconds / 60),
    })
  } catch (error) {
    await core.storage.verifications.delete(record.id)
    throw new AuthError('DELIVERY_FAILED', { cause: error })
  }
  return { sentTo: [destination.masked], expiresAt: record.expiresAt }
}
