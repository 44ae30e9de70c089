export interface Logger {
  /** Called for unexpected failures (a 500) and misconfiguration found while serving. Never receives secrets. */
  error(message: string, meta?: Record<string, unknown>): void
}
