import assert from 'node:assert/strict'
import type * as nodeTest from 'node:test'
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import type { Storage } from '../../src/storage/ports.js'
import { type ConformanceRunner, describeStorageConformance } from '../../src/testing/index.js'

// tsc checks that node:test's own describe and it fit the runner, as a host passes them.
true satisfies Pick<typeof nodeTest, 'describe' | 'it'> extends Pick<ConformanceRunner, 'describe' | 'it'> ? true : never

interface RecordedCase {
  name: string
  body: () => void | Promise<void>
}

/**
 * A stand-in for node:test with its shapes (describe and it take a name and a function and answer
 * a promise): it records the cases the kit registers, and runs them one by one on demand.
 */
function createRecordingRunner(): { runner: ConformanceRunner; runAll(): Promise<{ passed: string[]; failed: string[] }> } {
  const cases: RecordedCase[] = []
  const suites: string[] = []
  const describeCases = async (name: string, body: () => void): Promise<void> => {
    suites.push(name)
    try {
      body()
    } finally {
      suites.pop()
    }
  }
  const itCase = async (name: string, body: () => void | Promise<void>): Promise<void> => {
    cases.push({ name: [...suites, name].join(' > '), body })
  }
  return {
    runner: { describe: describeCases, it: itCase, assert },
    async runAll() {
      const passed: string[] = []
      const failed: string[] = []
      for (const { name, body } of cases) {
        try {
          await body()
          passed.push(name)
        } catch {
          failed.push(name)
        }
      }
      return { passed, failed }
    },
  }
}

describe('the conformance kit on another runner', () => {
  it('runs every case of the memory store with node:test-shaped functions and node:assert, all passing', async () => {
    const { runner, runAll } = createRecordingRunner()
    describeStorageConformance('memory', () => memoryStorage(), { runner })
    const { passed, failed } = await runAll()
    expect(failed).toEqual([])
    expect(passed.length).toBeGreaterThan(50)
    expect(passed).toContain('storage conformance: memory > sessions > deletes once, and the token hash stops resolving')
  })

  it('fails the cases a broken store breaks: a session delete that always answers true', async () => {
    const { runner, runAll } = createRecordingRunner()
    const brokenStorage = (): Storage => {
      const storage = memoryStorage()
      return { ...storage, sessions: { ...storage.sessions, delete: async () => true } }
    }
    describeStorageConformance('broken', brokenStorage, { runner, stores: ['sessions'] })
    const { passed, failed } = await runAll()
    expect(failed).toEqual([
      'storage conformance: broken > sessions > deletes once, and the token hash stops resolving',
      'storage conformance: broken > sessions > answers true to exactly one of concurrent deletes',
    ])
    expect(passed.length).toBeGreaterThan(5)
  })
})
