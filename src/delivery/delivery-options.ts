import { z } from 'zod'
import { functionOption, functionWith } from '../config/option-schemas.js'
import type { UserRecord } from '../storage/ports.js'
import { localeField } from './choose-locale.js'
import type { Mailer } from './mailer.js'
import { messageKinds } from './message-kind.js'
import type { MessageTemplates } from './message-templates.js'
import type { SmsSender } from './sms-sender.js'

/** The user's phone number for SMS, or null when they have none. The host keeps phone numbers; gatehouse does not store them. */
export type PhoneNumberLookup = (user: UserRecord) => string | null | Promise<string | null>

/** `createGatehouse({ delivery })`: how magic links, codes and reset keys reach people. */
export interface DeliveryOptions {
  /** Sends e-mails. Without it, magic links, e-mailed codes and password reset answer 404 FEATURE_DISABLED. */
  email?: Mailer | undefined
  /** Sends text messages. Without it, `medium: 'sms'` answers 400 MEDIUM_UNAVAILABLE. */
  sms?: SmsSender | undefined
  /** Texts per message kind and locale; anything missing falls back to the built-in English. */
  templates?: MessageTemplates | undefined
  /** Locale used when the request names none that a template has. Default 'en'. */
  defaultLocale?: string | undefined
  /** The user's phone number for SMS codes (400 NO_PHONE_NUMBER when it answers null or is not set). */
  phoneNumberOf?: PhoneNumberLookup | undefined
}

export interface ResolvedDelivery {
  email: Mailer | null
  sms: SmsSender | null
  templates: MessageTemplates
  defaultLocale: string
  phoneNumberOf: PhoneNumberLookup | null
}

export const deliveryOptionsSchema = z
  .object({
    email: functionWith('send'),
    sms: functionWith('send'),
    templates: z.partialRecord(z.enum(messageKinds as [string, ...string[]]), z.record(localeField, functionOption).optional()),
    defaultLocale: localeField,
    phoneNumberOf: functionOption,
  })
  .partial()
  .strict()

export function resolveDeliveryOptions(options: DeliveryOptions = {}): ResolvedDelivery {
  return {
    email: options.email ?? null,
    sms: options.sms ?? null,
    templates: options.templates ?? {},
    defaultLocale: options.defaultLocale ?? 'en',
    phoneNumberOf: options.phoneNumberOf ?? null,
  }
}
