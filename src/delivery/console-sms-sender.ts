import type { SmsSender } from './sms-sender.js'

/** Prints each text message instead of sending it: for the demo and local development only (it prints the code). */
export function createConsoleSmsSender(print: (line: string) => void = console.log): SmsSender {
  return {
    async send(message) {
      print(`[gatehouse sms] to ${message.to}: ${message.text}`)
    },
  }
}
