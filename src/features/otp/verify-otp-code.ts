import type { Core } from '../../core.js'
import { equalsConstantTime } from '../../crypto/constant-time.js'
import { hashOtpCode, otpRecordPurpose, secondFactorPurpose } from './otp-code.js'
import { otpOptions } from './otp-options.js'

/**
 * Whether `code` is the user's live code for `purpose`; a right code is used up (atomically, so
 * it counts once). Every try is counted before the comparison, so concurrent guesses cannot
 * exceed `otp.maxAttempts`; past it the code is deleted and even the right one fails.
 * Never throws for a wrong, expired, superseded or other-purpose code: it answers false.
 */
export async function verifyOtpCode(core: Core, userId: string, code: string, purpose: string = secondFactorPurpose): Promise<boolean> {
  if (typeof code !== 'string') return false
  const { verifications } = core.storage
  const recordPurpose = otpRecordPurpose(purpose)
  const record = await verifications.find(recordPurpose, userId, core.config.clock.now())
  if (record === null) return false
  const attempts = await verifications.addAttempt(record.id)
  if (attempts === 0) return false
  if (attempts > otpOptions.of(core).maxAttempts) {
    await verifications.delete(record.id)
    return false
  }
  const hash = hashOtpCode(purpose, userId, code.trim().slice(0, 64))
  if (!equalsConstantTime(hash, record.secretHash)) {
    if (attempts === otpOptions.of(core).maxAttempts) await verifications.delete(record.id)
    return false
  }
  const consumed = await verifications.consume(recordPurpose, hash, core.config.clock.now())
  return consumed !== null && consumed.userId === userId
}
