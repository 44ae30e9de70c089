import type { Storage, StorageName } from '../storage/ports.js'
import { storeNames } from '../storage/store-names.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { findVitestRunner } from './vitest-runner.js'
import { describeFactorStoreConformance } from './factor-store-conformance.js'
import { describeIdentityStoreConformance } from './identity-store-conformance.js'
import { describeInvitationStoreConformance } from './invitation-store-conformance.js'
import { describeLimitStoreConformance } from './limit-store-conformance.js'
import { describeSessionStoreConformance } from './session-store-conformance.js'
import { describeTokenStoreConformance } from './token-store-conformance.js'
import { describeUserStoreConformance } from './user-store-conformance.js'
import { describeVerificationStoreConformance } from './verification-store-conformance.js'
import { describeWithUserConformance } from './with-user-conformance.js'
import { describeWorkspaceStoreConformance } from './workspace-store-conformance.js'

export interface StorageConformanceOptions {
  /** The stores to test, for backends that supply only some. All of them by default. */
  stores?: StorageName[] | undefined
  /** The test functions to register the cases with, for hosts on node:test, jest or mocha. vitest's by default. */
  runner?: ConformanceRunner | undefined
}

/**
 * Registers suites, with `options.runner` or vitest, that check every method of every storage port
 * against its contract, concurrency and expiry included. `makeStorage` runs once per test; suites
 * may share one backend, because every record gets fresh random ids, e-mails and hashes.
 *
 * vitest is looked up only here, so the rest of gatehouse/testing works without it. With a
 * runner, and in a vitest test file, the suites exist when this returns; the promise settles once
 * they are registered (it rejects when there is neither a runner nor vitest).
 */
export function describeStorageConformance(
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  options: StorageConformanceOptions = {},
): Promise<void> {
  const runner = options.runner ?? findVitestRunner()
  if (runner instanceof Promise) return runner.then((found) => registerConformanceSuites(name, makeStorage, found, options.stores))
  registerConformanceSuites(name, makeStorage, runner, options.stores)
  return Promise.resolve()
}

function registerConformanceSuites(
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  runner: ConformanceRunner,
  only: StorageName[] | undefined,
): void {
  const stores = new Set<StorageName>(only ?? storeNames)

  function openStore<K extends StorageName>(store: K): () => Promise<Storage[K]> {
    return async () => (await makeStorage())[store]
  }

  const openStorage = async (): Promise<Storage> => makeStorage()

  runner.describe(`storage conformance: ${name}`, () => {
    if (stores.has('users')) describeUserStoreConformance(openStore('users'), runner)
    if (stores.has('sessions')) describeSessionStoreConformance(openStore('sessions'), runner)
    if (stores.has('sessions')) describeWithUserConformance('sessions', openStorage, runner)
    if (stores.has('limits')) describeLimitStoreConformance(openStore('limits'), runner)
    if (stores.has('tokens')) describeTokenStoreConformance(openStore('tokens'), runner)
    if (stores.has('tokens')) describeWithUserConformance('tokens', openStorage, runner)
    if (stores.has('verifications')) describeVerificationStoreConformance(openStore('verifications'), runner)
    if (stores.has('factors')) describeFactorStoreConformance(openStore('factors'), runner)
    if (stores.has('workspaces')) describeWorkspaceStoreConformance(openStore('workspaces'), runner)
    if (stores.has('invitations')) describeInvitationStoreConformance(openStore('invitations'), runner)
    if (stores.has('identities')) describeIdentityStoreConformance(openStore('identities'), runner)
  })
}
