import type { Storage, StorageName } from '../storage/ports.js'
import { storeNames } from '../storage/store-names.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { describeFactorStoreConformance } from './factor-store-conformance.js'
import { describeInvitationStoreConformance } from './invitation-store-conformance.js'
import { describeLimitStoreConformance } from './limit-store-conformance.js'
import { describeSessionStoreConformance } from './session-store-conformance.js'
import { describeTokenStoreConformance } from './token-store-conformance.js'
import { describeUserStoreConformance } from './user-store-conformance.js'
import { describeVerificationStoreConformance } from './verification-store-conformance.js'
import { vitestRunner } from './vitest-runner.js'
import { describeWorkspaceStoreConformance } from './workspace-store-conformance.js'

export interface StorageConformanceOptions {
  /** The stores to test, for backends that supply only some. All of them by default. */
  stores?: StorageName[]
  /** The test functions to register the cases with, for hosts on node:test, jest or mocha. vitest's by default. */
  runner?: ConformanceRunner
}

/**
 * Registers suites, with vitest or `options.runner`, that check every method of every storage port
 * against its contract, concurrency and expiry included. `makeStorage` runs once per test; suites
 * may share one backend, because every record gets fresh random ids, e-mails and hashes.
 */
export function describeStorageConformance(
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  options: StorageConformanceOptions = {},
): void {
  const stores = new Set<StorageName>(options.stores ?? storeNames)
  const runner = options.runner ?? vitestRunner

  function openStore<K extends StorageName>(store: K): () => Promise<Storage[K]> {
    return async () => (await makeStorage())[store]
  }

  runner.describe(`storage conformance: ${name}`, () => {
    if (stores.has('users')) describeUserStoreConformance(openStore('users'), runner)
    if (stores.has('sessions')) describeSessionStoreConformance(openStore('sessions'), runner)
    if (stores.has('limits')) describeLimitStoreConformance(openStore('limits'), runner)
    if (stores.has('tokens')) describeTokenStoreConformance(openStore('tokens'), runner)
    if (stores.has('verifications')) describeVerificationStoreConformance(openStore('verifications'), runner)
    if (stores.has('factors')) describeFactorStoreConformance(openStore('factors'), runner)
    if (stores.has('workspaces')) describeWorkspaceStoreConformance(openStore('workspaces'), runner)
    if (stores.has('invitations')) describeInvitationStoreConformance(openStore('invitations'), runner)
  })
}
