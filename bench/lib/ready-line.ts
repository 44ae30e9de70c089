/**
 * The line protocol between a variant process and the harness, on the variant's stdout:
 *   READY <port> <headers-json>   the server listens on 127.0.0.1:<port>; send <headers> on GET /me
 *   SKIP <reason>                 the variant cannot run here (a missing module or service)
 * Anything else on stdout is passed through as log output.
 */

export type ReadyLine =
  | { kind: 'ready'; port: number; headers: Record<string, string> }
  | { kind: 'skip'; reason: string }

export function formatReady(port: number, headers: Record<string, string>): string {
  return `READY ${port} ${JSON.stringify(headers)}`
}

export function formatSkip(reason: string): string {
  return `SKIP ${reason.replace(/\s+/g, ' ').trim()}`
}

export function parseReadyLine(line: string): ReadyLine | null {
  if (line.startsWith('SKIP ')) return { kind: 'skip', reason: line.slice(5) }
  const match = /^READY (\d{1,5}) (\{.*\})$/.exec(line)
  if (!match) return null
  const port = Number(match[1])
  const parsed: unknown = JSON.parse(match[2] ?? '{}')
  if (!isStringRecord(parsed) || port <= 0 || port > 65535) return null
  return { kind: 'ready', port, headers: parsed }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((v) => typeof v === 'string')
}
