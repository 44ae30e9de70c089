import { z } from 'zod'
import type { Random } from '../../config/clock.js'
import { sha256Hex } from '../../crypto/sha256.js'

/** The purpose of a code that completes a pending second factor. */
export const secondFactorPurpose = 'second_factor'

/** A code's purpose: 'second_factor' or a host's sensitive action ('delete_account', 'payment.confirm'). */
export const otpPurposeField = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be 1-64 lower-case letters, digits, _ . or -, starting with a letter')

/** Codes of different purposes live apart in the verifications store, so one never supersedes or answers for another. */
export function otpRecordPurpose(purpose: string): string {
  return `otp:${purpose}`
}

/** Six decimal digits. 64 random bits reduced mod 10^6: the bias (about 5e-14) is far below a guess's odds. */
export function createOtpCode(random: Random): string {
  const value = Buffer.from(random.bytes(8)).readBigUInt64BE() % 1_000_000n
  return value.toString().padStart(6, '0')
}

/** What is stored: a code is bound to its purpose and user, so a code for one never matches another. */
export function hashOtpCode(purpose: string, userId: string, code: string): string {
  return sha256Hex(`${purpose}:${userId}:${code}`)
}
