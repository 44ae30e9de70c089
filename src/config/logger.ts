export interface Logger {
  /** Called for unexpected failures (a 500) and misconfiguration found while serving. Never receives secrets. */
  error(message: string, meta?: Record<string, unknown>): void
  /** Called once per problem for a risky set-up (start-up checks, a refused request in development). Default: console.warn. */
  warn?: ((message: string, meta?: Record<string, unknown>) => void) | undefined
}

/** The logger as the core uses it: both levels present. */
export type ResolvedLogger = Required<Logger>

/** Distinct warnings kept; requests choose part of a warning's key, so the set must stay bounded. */
const maxWarningKeys = 256

/** Fills in console for the levels the host's logger lacks. */
export function resolveLogger(logger: Logger | undefined): ResolvedLogger {
  return {
    error: logger === undefined ? (message) => console.error(`[gatehouse] ${message}`) : (message, meta) => logger.error(message, meta),
    warn: logger?.warn === undefined ? (message) => console.warn(`[gatehouse] ${message}`) : (message, meta) => logger.warn?.(message, meta),
  }
}

/** A warn that says each thing once per process (a warning per request would drown the log). */
export function createWarnOnce(logger: ResolvedLogger): (key: string, message: string) => void {
  const said = new Set<string>()
  return (key, message) => {
    if (said.has(key) || said.size >= maxWarningKeys) return
    said.add(key)
    logger.warn(message, { code: 'WARNING' })
  }
}
