import type { MeSummary } from './me-suite.js'

/** A goal from the issue / DESIGN.md section 9, checked against one run's summaries. */
export type Target =
  | { kind: 'ratio'; variant: string; atLeast: number; source: string }
  | { kind: 'ahead-of'; variant: string; peer: string; source: string }
  | { kind: 'revoked-within'; variant: string; withinMs: number; source: string }

export const targets: readonly Target[] = [
  { kind: 'ratio', variant: 'gatehouse-express-memory', atLeast: 0.97, source: 'issue 18' },
  { kind: 'ratio', variant: 'gatehouse-express-redis', atLeast: 0.85, source: 'issue 18' },
  { kind: 'ratio', variant: 'gatehouse-express-redis-cache', atLeast: 0.95, source: 'issue 18' },
  { kind: 'ratio', variant: 'gatehouse-express-postgres', atLeast: 0.6, source: 'issue 18' },
  { kind: 'ratio', variant: 'gatehouse-express-postgres-cache', atLeast: 0.95, source: 'issue 18' },
  { kind: 'ratio', variant: 'gatehouse-koa-memory', atLeast: 0.9, source: 'issue 18' },
  { kind: 'revoked-within', variant: 'gatehouse-express-redis-cache', withinMs: 50, source: 'issue 18' },
  { kind: 'revoked-within', variant: 'gatehouse-express-postgres-cache', withinMs: 50, source: 'issue 18' },
  { kind: 'ahead-of', variant: 'gatehouse-express-memory', peer: 'express-session-passport', source: 'issue' },
  { kind: 'ahead-of', variant: 'gatehouse-express-memory', peer: 'better-auth', source: 'issue' },
  { kind: 'ahead-of', variant: 'gatehouse-express-memory', peer: 'better-auth-cookie-cache', source: 'issue' },
]

export interface TargetResult {
  description: string
  status: 'met' | 'missed' | 'not run'
  detail: string
}

export function checkTargets(summaries: readonly MeSummary[], list: readonly Target[] = targets): TargetResult[] {
  const byName = new Map(summaries.map((s) => [s.name, s]))
  return list.map((target) => {
    const subject = byName.get(target.variant)
    if (target.kind === 'ratio') {
      const description = `${target.variant} >= ${pct(target.atLeast)} of its bare baseline (${target.source})`
      // Side by side when measured (stable to a few points); alone otherwise.
      const paired = subject?.pairedRatio != null
      const ratio = paired ? subject.pairedRatio : subject?.ratio
      const range = paired ? subject.pairedRange : subject?.ratioRange
      if (ratio === undefined || ratio === null) return { description, status: 'not run', detail: subject?.skipped ?? 'not measured' }
      const how = paired ? 'side by side' : 'alone'
      return {
        description,
        status: ratio >= target.atLeast ? 'met' : 'missed',
        detail: range == null ? `${pct(ratio)} ${how}` : `${pct(ratio)} ${how} (rounds: ${pct(range[0])}–${pct(range[1])})`,
      }
    }
    if (target.kind === 'revoked-within') {
      const description = `${target.variant}: a revocation in the other process refused within ${target.withinMs} ms (${target.source})`
      const revoked = subject?.revokedAccepted
      if (revoked === undefined || revoked === null) return { description, status: 'not run', detail: subject?.skipped ?? 'not measured' }
      if (revoked.ms === null) return { description, status: 'missed', detail: `still accepted after ${revoked.boundMs} ms` }
      return { description, status: revoked.ms <= target.withinMs ? 'met' : 'missed', detail: `${revoked.ms.toFixed(1)} ms` }
    }
    const description = `${target.variant} ahead of ${target.peer} (${target.source})`
    const peer = byName.get(target.peer)
    if (subject?.rps == null || peer?.rps == null) return { description, status: 'not run', detail: subject?.skipped ?? peer?.skipped ?? 'not measured' }
    return {
      description,
      status: subject.rps > peer.rps ? 'met' : 'missed',
      detail: `${Math.round(subject.rps)} vs ${Math.round(peer.rps)} req/s (x${(subject.rps / peer.rps).toFixed(2)})`,
    }
  })
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`
}
