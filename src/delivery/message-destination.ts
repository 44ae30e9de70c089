import type { Core } from '../core.js'
import { maskEmail } from '../http/email.js'
import { AuthError } from '../errors/auth-error.js'
import type { UserRecord } from '../storage/ports.js'
import { maskPhoneNumber } from './mask-phone-number.js'

export type Medium = 'email' | 'sms'

/** Where one message goes: the address, and how to show it to the user. */
export interface MessageDestination {
  medium: Medium
  to: string
  masked: string
}

/** The user's address for `medium`; 400 MEDIUM_UNAVAILABLE without a sender for it, 400 NO_PHONE_NUMBER without a number. */
export async function findMessageDestination(core: Core, user: UserRecord, medium: Medium): Promise<MessageDestination> {
  const { delivery } = core.config
  if (medium === 'email') {
    if (delivery.email === null) throw new AuthError('MEDIUM_UNAVAILABLE', { message: 'E-mail delivery is not configured.' })
    return { medium, to: user.email, masked: maskEmail(user.email) }
  }
  if (delivery.sms === null) throw new AuthError('MEDIUM_UNAVAILABLE', { message: 'SMS delivery is not configured.' })
  const phoneNumber = delivery.phoneNumberOf === null ? null : await delivery.phoneNumberOf(user)
  if (typeof phoneNumber !== 'string' || phoneNumber.trim() === '') {
    throw new AuthError('NO_PHONE_NUMBER')
  }
  return { medium, to: phoneNumber, masked: maskPhoneNumber(phoneNumber) }
}
