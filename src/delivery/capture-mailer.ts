import type { EmailMessage, Mailer } from './mailer.js'

export interface CaptureMailer extends Mailer {
  /** Every message sent so far, oldest first. */
  readonly messages: EmailMessage[]
  /** The newest message to `to` (any recipient when omitted), or undefined. */
  last(to?: string): EmailMessage | undefined
  clear(): void
}

/** A mailer that keeps messages in memory, for tests (`gatehouse/testing`). */
export function createCaptureMailer(): CaptureMailer {
  const messages: EmailMessage[] = []
  return {
    messages,
    async send(message) {
      messages.push({ ...message })
    },
    last(to) {
      return messages.findLast((message) => to === undefined || message.to === to)
    },
    clear() {
      messages.length = 0
    },
  }
}
