import { formatReady, formatSkip } from '../../lib/ready-line.js'

/**
 * Ends the variant cleanly when the harness goes away: on SIGTERM/SIGINT, or when stdin closes
 * (the parent died). A clean exit matters under --cpu-prof: the profile is written on exit only.
 */
function exitWithParent(): void {
  const stop = (): void => process.exit(0)
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
  process.stdin.resume()
}

/** Prints READY once the server listens and an authenticated user is set up. */
export function announceReady(port: number, headers: Record<string, string>): void {
  exitWithParent()
  process.stdout.write(`${formatReady(port, headers)}\n`)
}

/** Prints SKIP and exits: the variant cannot run on this machine or branch. */
export function announceSkip(reason: string): never {
  process.stdout.write(`${formatSkip(reason)}\n`)
  process.exit(0)
}
