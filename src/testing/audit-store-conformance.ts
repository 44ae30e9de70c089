import type { AuditRecord, AuditStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { createTestId } from './conformance-records.js'
import { findVitestRunner } from './vitest-runner.js'

function buildAuditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: createTestId(),
    type: 'login_failed',
    at: Date.now(),
    userId: createTestId(),
    sessionId: null,
    workspaceId: null,
    ip: '203.0.113.7',
    userAgent: 'conformance/1.0',
    details: { reason: 'INVALID_CREDENTIALS', email: 'jane@example.com', attempt: 1, pending: false },
    ...overrides,
  }
}

function registerAuditStoreCases(openStore: () => Promise<AuditStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('audit', () => {
    it('keeps a record as given and lists the newest first, equal times in reverse append order', async () => {
      const audit = await openStore()
      const userId = createTestId()
      const at = Date.now()
      const oldest = buildAuditRecord({ userId, at: at - 1000, sessionId: createTestId(), workspaceId: createTestId() })
      const tiedFirst = buildAuditRecord({ userId, at, type: 'signup', details: {} })
      const tiedSecond = buildAuditRecord({ userId, at, ip: null, userAgent: null })
      for (const record of [oldest, tiedFirst, tiedSecond]) await audit.append(record)
      assert.deepEqual(await audit.list({ userId, limit: 10 }), [tiedSecond, tiedFirst, oldest])
    })

    it('filters by user, workspace and since, and answers at most limit', async () => {
      const audit = await openStore()
      const userId = createTestId()
      const workspaceId = createTestId()
      const at = Date.now()
      const records = [
        buildAuditRecord({ userId, at: at - 2000 }),
        buildAuditRecord({ userId, at: at - 1000, workspaceId }),
        buildAuditRecord({ userId, at }),
        buildAuditRecord({ at, workspaceId }),
      ]
      for (const record of records) await audit.append(record)
      assert.deepEqual(await audit.list({ userId, limit: 2 }), [records[2], records[1]])
      assert.deepEqual(await audit.list({ userId, since: at - 1000, limit: 10 }), [records[2], records[1]])
      assert.deepEqual(await audit.list({ workspaceId, limit: 10 }), [records[3], records[1]])
      assert.deepEqual(await audit.list({ userId, workspaceId, limit: 10 }), [records[1]])
      assert.deepEqual(await audit.list({ userId: createTestId(), limit: 10 }), [])
    })

    it('returns copies', async () => {
      const audit = await openStore()
      const record = buildAuditRecord()
      await audit.append(record)
      const [listed] = await audit.list({ userId: record.userId!, limit: 1 })
      listed!.details.reason = 'changed'
      assert.deepEqual(await audit.list({ userId: record.userId!, limit: 1 }), [record])
    })

    it('keeps every one of concurrent appends', async () => {
      const audit = await openStore()
      const userId = createTestId()
      await raceCallers((index) => audit.append(buildAuditRecord({ userId, at: Date.now() + index })))
      assert.equal((await audit.list({ userId, limit: 1000 })).length, CONCURRENT_CALLER_COUNT)
    })

    it("deletes a user's records and answers how many", async () => {
      const audit = await openStore()
      const userId = createTestId()
      const other = buildAuditRecord()
      await audit.append(buildAuditRecord({ userId }))
      await audit.append(buildAuditRecord({ userId }))
      await audit.append(other)
      assert.equal(await audit.deleteByUser(userId), 2)
      assert.deepEqual(await audit.list({ userId, limit: 10 }), [])
      assert.deepEqual(await audit.list({ userId: other.userId!, limit: 10 }), [other])
      assert.equal(await audit.deleteByUser(userId), 0)
    })
  })
}

/**
 * Registers the suite that checks an AuditStore against its contract (the audit store is not part
 * of Storage, so describeStorageConformance does not cover it). `makeStore` runs once per test;
 * cases may share one backend. Runner and promise as for describeStorageConformance.
 */
export function describeAuditStoreConformance(
  name: string,
  makeStore: () => AuditStore | Promise<AuditStore>,
  options: { runner?: ConformanceRunner | undefined } = {},
): Promise<void> {
  const register = (runner: ConformanceRunner) =>
    runner.describe(`audit store conformance: ${name}`, () => registerAuditStoreCases(async () => makeStore(), runner))
  const runner = options.runner ?? findVitestRunner()
  if (runner instanceof Promise) return runner.then(register)
  register(runner)
  return Promise.resolve()
}
