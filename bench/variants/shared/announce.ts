import { formatReady, formatSkip } from '../../lib/ready-line.js'

/**
 * Ends the variant cleanly when the harness goes away: on SIGTERM/SIGINT, or when stdin closes
 * (the parent died). A clean exit matters under --cpu-prof: the profile is written on exit only.
 */
function exitWithParent(cleanup: (() => Promise<void>) | undefined): void {
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    if (cleanup === undefined) process.exit(0)
    const timer = setTimeout(() => process.exit(0), 3000)
    cleanup()
      .catch((error: unknown) => console.error(`cleanup failed: ${(error as Error).message}`))
      .finally(() => {
        clearTimeout(timer)
        process.exit(0)
      })
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
  process.stdin.resume()
}

/**
 * Prints READY once the server listens and an authenticated user is set up. `cleanup` (bounded to
 * 3 s) runs before exit, e.g. to drop a throwaway Postgres schema or Redis keys.
 */
export function announceReady(port: number, headers: Record<string, string>, cleanup?: () => Promise<void>): void {
  exitWithParent(cleanup)
  process.stdout.write(`${formatReady(port, headers)}\n`)
}

/** Prints SKIP and exits: the variant cannot run on this machine or branch. */
export function announceSkip(reason: string): never {
  process.stdout.write(`${formatSkip(reason)}\n`)
  process.exit(0)
}
