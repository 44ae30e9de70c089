import type { Logger } from '../config/logger.js'
import { describeErrorForLog } from '../errors/describe-error.js'

/** Work that must not hold up the response it was started from (sending mail on routes that must not tell who exists). */
export interface BackgroundTasks {
  /** Runs `task` after the current request's response is on its way; a failure is logged under `label`, never surfaced. */
  run(label: string, task: () => Promise<unknown>): void
  /** Resolves once every task started so far has finished (tests, graceful shutdown). */
  drain(): Promise<void>
}

export function createBackgroundTasks(logger: Logger): BackgroundTasks {
  const pending = new Set<Promise<void>>()
  return {
    run(label, task) {
      // setImmediate: the task starts after the microtasks that write the response, so neither its
      // time nor its failure can be observed by the client.
      const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .then(
          () => undefined,
          (error: unknown) => logger.error(`${label} failed: ${describeErrorForLog(error)}`, { code: 'BACKGROUND_TASK_FAILED' }),
        )
        .finally(() => pending.delete(running))
      pending.add(running)
    },
    async drain() {
      await Promise.all([...pending])
    },
  }
}
