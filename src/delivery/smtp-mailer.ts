import type { Mailer } from './mailer.js'

/**
 * The part of a nodemailer transport the SMTP mailer uses. Declared here so that the core never
 * imports nodemailer: the host creates the transport and passes it in.
 */
export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; text: string; html?: string }): Promise<unknown>
}

export interface SmtpMailerOptions {
  /** The From header, e.g. 'Example <no-reply@example.com>'. */
  from: string
}

/**
 * A Mailer over a nodemailer transport:
 * `createSmtpMailer(nodemailer.createTransport({ host, port, auth }), { from: 'no-reply@example.com' })`.
 */
export function createSmtpMailer(transport: MailTransport, options: SmtpMailerOptions): Mailer {
  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
      })
    },
  }
}
