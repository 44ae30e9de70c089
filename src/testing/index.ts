export { createFixedClock, type FixedClock } from './fixed-clock.js'
export { describeStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
