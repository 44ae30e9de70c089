import type { MessageKind } from './message-kind.js'

/** One text message. `to` is whatever `delivery.phoneNumberOf(user)` answered. */
export interface SmsMessage {
  to: string
  text: string
  kind: MessageKind
}

/** Where text messages go: `createGatehouse({ delivery: { sms: sender } })`. Rejects when the message could not be handed over. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>
}
