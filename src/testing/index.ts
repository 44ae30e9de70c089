export { describeStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
