import type { Mailer } from './mailer.js'

/**
 * Prints each e-mail instead of sending it: for the demo and local development only, since the
 * printed text holds the link or code.
 */
export function createConsoleMailer(print: (line: string) => void = console.log): Mailer {
  return {
    async send(message) {
      print(`[gatehouse mail] to ${message.to}: ${message.subject}\n${message.text}`)
    },
  }
}
