import type { SmsMessage, SmsSender } from './sms-sender.js'

export interface CaptureSmsSender extends SmsSender {
  /** Every message sent so far, oldest first. */
  readonly messages: SmsMessage[]
  /** The newest message to `to` (any recipient when omitted), or undefined. */
  last(to?: string): SmsMessage | undefined
  clear(): void
}

/** An SMS sender that keeps messages in memory, for tests (`gatehouse/testing`). */
export function createCaptureSmsSender(): CaptureSmsSender {
  const messages: SmsMessage[] = []
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
