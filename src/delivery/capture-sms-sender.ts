import { createMessageCapture, type MessageCapture } from './message-capture.js'
import type { SmsMessage } from './sms-sender.js'

export type CaptureSmsSender = MessageCapture<SmsMessage>

/** An SMS sender that keeps messages in memory, for tests (`gatehouse/testing`). */
export const createCaptureSmsSender = (): CaptureSmsSender => createMessageCapture<SmsMessage>()
