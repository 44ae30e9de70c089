import { memoryStorage } from '../../src/storage/memory-storage.js'
import { describeStorageConformance } from '../../src/testing/index.js'

describeStorageConformance('memory', () => memoryStorage())
