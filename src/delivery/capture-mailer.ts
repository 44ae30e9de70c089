import type { EmailMessage } from './mailer.js'
import { createMessageCapture, type MessageCapture } from './message-capture.js'

export type CaptureMailer = MessageCapture<EmailMessage>

/** A mailer that keeps messages in memory, for tests (`gatehouse/testing`). */
export const createCaptureMailer = (): CaptureMailer => createMessageCapture<EmailMessage>()
