import express from 'express'
import { fileURLToPath } from 'node:url'
import type { EmailMessage, Mailer } from '../../src/index.js'

/** The demo's pretend mail: kept for the mailbox page (and printed), never sent. */
export interface DemoMailbox extends Mailer {
  readonly messages: readonly EmailMessage[]
}

/** At most this many mails are kept, so a long-running demo does not grow without bound. */
const MAILBOX_SIZE = 50

export function createDemoMailbox(print: (line: string) => void = console.log): DemoMailbox {
  const messages: EmailMessage[] = []
  return {
    messages,
    async send(message) {
      messages.unshift({ ...message })
      messages.length = Math.min(messages.length, MAILBOX_SIZE)
      print(`[demo mailbox] to ${message.to}: ${message.subject} (open /mailbox.html)`)
    },
  }
}

/** The demo's web pages (plain HTML and one script over the JSON routes) and its mailbox, on the host app. */
export function serveDemoWeb(app: express.Express, mailbox: DemoMailbox): void {
  app.get('/demo/mailbox', (_req, res) => {
    res.json(mailbox.messages.map(({ to, subject, text }) => ({ to, subject, text })))
  })
  app.use(express.static(fileURLToPath(new URL('./web/', import.meta.url))))
}
