import type { Core } from '../core.js'
import { chooseLocale } from './choose-locale.js'
import type { MessageDestination } from './message-destination.js'
import type { MessageKind } from './message-kind.js'
import { type MessageVariables, type RenderedMessage, defaultTemplates } from './message-templates.js'

/** Variables the caller supplies; the rest come from the destination and the config. */
export type MessageDetails = Omit<MessageVariables, 'kind' | 'medium' | 'email' | 'appHost'>

/** The locale of the built-in templates; a host template for 'en' replaces them. */
const builtInLocale = 'en'

/** Renders with the template for the best matching locale (the built-in English counts as 'en'), else the default locale's. */
export function renderMessage(core: Core, kind: MessageKind, preferredLocales: readonly string[], variables: MessageVariables): RenderedMessage {
  const { templates, defaultLocale } = core.config.delivery
  const forKind = templates[kind] ?? {}
  const locale = chooseLocale([...preferredLocales, defaultLocale, builtInLocale], [...Object.keys(forKind), builtInLocale])
  const template = (locale === undefined ? undefined : forKind[locale]) ?? defaultTemplates[kind]
  return template(variables)
}

/** Renders and sends one message; rejects when the mailer or SMS sender does. */
export async function deliverMessage(
  core: Core,
  destination: MessageDestination,
  email: string,
  kind: MessageKind,
  preferredLocales: readonly string[],
  details: MessageDetails,
): Promise<void> {
  const { delivery, baseUrl } = core.config
  const variables: MessageVariables = { ...details, kind, medium: destination.medium, email, appHost: baseUrl.host }
  const rendered = renderMessage(core, kind, preferredLocales, variables)
  if (destination.medium === 'sms') {
    await delivery.sms?.send({ to: destination.to, text: rendered.text, kind })
    return
  }
  await delivery.email?.send({
    to: destination.to,
    subject: rendered.subject,
    text: rendered.text,
    ...(rendered.html === undefined ? {} : { html: rendered.html }),
    kind,
  })
}
