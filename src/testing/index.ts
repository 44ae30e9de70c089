export { createFixedClock, type FixedClock } from './fixed-clock.js'
export { describeStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
export { createCaptureMailer, type CaptureMailer } from '../delivery/capture-mailer.js'
export { createCaptureSmsSender, type CaptureSmsSender } from '../delivery/capture-sms-sender.js'
