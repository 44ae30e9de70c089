import type { MessageKind } from './message-kind.js'

/** One e-mail. `text` is always there; `html` when the template gives one. */
export interface EmailMessage {
  to: string
  subject: string
  text: string
  html?: string
  kind: MessageKind
}

/**
 * Where e-mails go: `createGatehouse({ delivery: { email: mailer } })`. gatehouse ships a console
 * mailer (demo), a capture mailer (tests, `gatehouse/testing`) and `createSmtpMailer(transport)`.
 * `send` rejects when the message could not be handed over.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>
}
