import { floodConnections, type LoginSummary, probeConnections } from './login-suite.js'
import { type MachineInfo, machineLine } from './machine.js'
import type { GuardCheckSummary } from './guard-suite.js'
import type { MeSummary } from './me-suite.js'
import type { BenchOptions } from './options.js'
import type { TargetResult } from './targets.js'
import { markdownTable, ms, percent, rate } from './format.js'
import { revocationBoundMs } from './revocation.js'

export interface BenchReport {
  date: string
  machine: MachineInfo
  settings: Pick<BenchOptions, 'seconds' | 'warmupSeconds' | 'rounds' | 'connections' | 'only' | 'quick'> & {
    /** The core every server ran on; undefined when nothing was pinned. */
    serverCpu: number | undefined
  }
  me: MeSummary[]
  login: LoginSummary[]
  /** The guard's own cost per check, in process (empty when `--only` left it out). */
  guard: GuardCheckSummary[]
  targets: TargetResult[]
}

/** The whole report as markdown: machine, GET /me table, login tables, targets. */
export function renderMarkdown(report: BenchReport): string {
  const s = report.settings
  const parts = [
    `# gatehouse benchmarks`,
    '',
    `${report.date} · ${machineLine(report.machine)}`,
    '',
    `Each variant runs in its own process on 127.0.0.1; autocannon drives it from the harness process ` +
      `(${s.connections} connections, ${s.warmupSeconds} s warm-up, ${s.seconds} s measured, ${s.rounds} interleaved rounds` +
      (s.serverCpu === undefined ? ', nothing pinned' : `; every GET /me server pinned to CPU ${s.serverCpu}, the harness to another, the login servers on every CPU`) +
      `). Figures are medians over rounds, with the lowest and highest round beside a ratio. ` +
      `"Alone" is the variant's req/s over bare Express's or bare Koa's, each run by itself one after the other ` +
      `(on a shared VM one 5 s run can be off by 20% or more from the next). ` +
      `"Side by side" runs the variant and a fresh bare server of its framework at the same time on the same core, ` +
      `half the connections each: both get equal shares of that core, so their req/s ratio is the ratio of their CPU cost ` +
      `per request, and a slow patch of the machine slows both at once (stable to a few points; the targets use it). ` +
      `"Server CPU" is the variant process's CPU time (all threads, from /proc) per response; "over bare" is the median ` +
      `per-round difference to the bare server (a second view of the same cost; noisy too). ` +
      `"Revoked session accepted" is how long after the credential was revoked server-side (POST /bench/revoke; in the ` +
      `other process for the two-process variants) GET /me with it still answered 200, polled up to ${revocationBoundMs / 1000} s: ` +
      `"> ${revocationBoundMs / 1000} s" means it was still accepted then (stateless tokens until they expire).`,
    '',
    '## GET /me for an authenticated user',
    '',
    ...foreignLoadNote(report.me),
    renderMeTable(report.me),
  ]
  const login = report.login.filter((l) => l.login1 !== null || l.skipped !== undefined)
  if (login.length > 0) {
    parts.push('', '## Login (POST, argon2id m=19456 KiB, t=2, p=1)', '', renderLoginTable(login))
    parts.push('', `## GET /me during a login flood (${floodConnections} login clients, ${probeConnections} GET /me clients)`, '', renderFloodTable(login))
  }
  if (report.guard.length > 0) {
    parts.push('', '## The guard alone (one check in process, no HTTP)', '', guardNote(report), '', renderGuardTable(report.guard, report.me))
  }
  if (report.targets.length > 0) {
    parts.push('', '## Targets', '', renderTargets(report.targets))
  }
  return `${parts.join('\n')}\n`
}

export function renderMeTable(rows: readonly MeSummary[]): string {
  return markdownTable(
    ['variant', 'req/s', 'p99 ms', 'vs bare, side by side', 'vs bare, alone', 'server CPU µs/req', 'CPU µs over bare', 'revoked session accepted', 'note'],
    rows.map((r) => [
      `${r.label} \`${r.name}\``,
      rate(r.rps),
      ms(r.p99),
      r.name === r.baseline ? 'baseline' : ratioCell(r.pairedRatio, r.pairedRange, r.framework),
      r.name === r.baseline ? 'baseline' : ratioCell(r.ratio, r.ratioRange, r.framework),
      rate(r.cpuUs),
      r.name === r.baseline ? '' : r.cpuUsOverBaseline === null ? '–' : `${r.cpuUsOverBaseline >= 0 ? '+' : ''}${rate(r.cpuUsOverBaseline)}`,
      revokedAccepted(r),
      [r.skipped !== undefined ? `skipped: ${r.skipped}` : r.failures > 0 ? `${r.failures} failed requests` : '', r.revokedAccepted?.note ?? '']
        .filter((part) => part !== '')
        .join('; '),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )
}

/** '93% of express (90%–95%)', or '–' when not measured. */
function ratioCell(ratio: number | null, range: [number, number] | null, framework: string): string {
  if (ratio === null) return '–'
  return `${percent(ratio)} of ${framework}` + (range === null ? '' : ` (${percent(range[0])}–${percent(range[1])})`)
}

/** How long a revoked credential still got 200: ms to the first refusal, or "> bound" when it never came. */
function revokedAccepted(r: MeSummary): string {
  if (r.revokedAccepted === null) return r.name === r.baseline ? '' : '–'
  const { ms: accepted, boundMs } = r.revokedAccepted
  return accepted === null ? `> ${boundMs / 1000} s` : `${accepted.toFixed(1)} ms`
}

function renderLoginTable(rows: readonly LoginSummary[]): string {
  return markdownTable(
    ['scenario', 'clients', 'logins/s', 'p50 ms', 'p99 ms', 'note'],
    rows.flatMap((r) =>
      r.login1 === null || r.login8 === null
        ? [[r.label, '–', '–', '–', '–', `skipped: ${r.skipped ?? ''}`]]
        : [
            [`${r.label} \`${r.name}\``, '1', rate(r.login1.rps, 1), ms(r.login1.p50), ms(r.login1.p99), failureNote(r.login1.failures)],
            ['', String(floodConnections), rate(r.login8.rps, 1), ms(r.login8.p50), ms(r.login8.p99), failureNote(r.login8.failures)],
          ],
    ),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  )
}

function renderFloodTable(rows: readonly LoginSummary[]): string {
  return markdownTable(
    ['scenario', '/me req/s alone', '/me p99 alone', '/me req/s in flood', '/me p99 in flood', '/me max in flood', 'logins/s in flood'],
    rows.flatMap((r) =>
      r.meAlone === null || r.meUnderFlood === null || r.floodLogins === null
        ? []
        : [[`\`${r.name}\``, rate(r.meAlone.rps), ms(r.meAlone.p99), rate(r.meUnderFlood.rps), ms(r.meUnderFlood.p99), ms(r.meUnderFlood.max), rate(r.floodLogins.rps, 1)]],
    ),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}

function renderTargets(rows: readonly TargetResult[]): string {
  return markdownTable(
    ['target', 'result', 'measured'],
    rows.map((t) => [t.description, t.status === 'met' ? 'met' : t.status === 'missed' ? '**missed**' : 'not run', t.detail]),
  )
}

/** How much other work shared the machine during the GET /me runs. */
function foreignLoadNote(rows: readonly MeSummary[]): string[] {
  const shares = rows.flatMap((r) => r.runs.flatMap((run) => (run.foreignCpu === null ? [] : [run.foreignCpu])))
  if (shares.length === 0) return []
  const sorted = [...shares].sort((a, b) => a - b)
  const mid = sorted[Math.floor(sorted.length / 2)] ?? 0
  const max = sorted[sorted.length - 1] ?? 0
  const busyRuns = shares.filter((s) => s >= 0.1).length
  return [
    `Other processes used a median ${percent(mid)} (max ${percent(max)}) of the machine's CPU during these runs; ` +
      `${busyRuns} of ${shares.length} runs shared it with more than 10%.`,
    '',
  ]
}

function guardNote(report: BenchReport): string {
  return (
    'One requireAuth check (credential in, caller out) timed in the harness process after every variant has ' +
    'stopped: 7 interleaved rounds of 0.4 s, median and range. Unlike throughput over loopback it does not move ' +
    'with the machine, so it says how much of the CPU per request above is the guard and how much is the rest ' +
    '(Express, the socket, the load generator sharing the CPU).'
  )
}

function renderGuardTable(rows: readonly GuardCheckSummary[], me: readonly MeSummary[]): string {
  const bare = me.find((r) => r.name === 'express-bare')?.cpuUs ?? null
  return markdownTable(
    ['check', 'µs per check', 'range', bare === null ? 'share of a bare Express request' : `share of a bare Express request (${rate(bare)} µs CPU)`],
    rows.map((r) => [
      `${r.label} \`${r.name}\``,
      r.usPerCheck.toFixed(2),
      `${r.range[0].toFixed(2)}–${r.range[1].toFixed(2)}`,
      bare === null ? '–' : percent(r.usPerCheck / bare),
    ]),
    ['l', 'r', 'r', 'r'],
  )
}

function failureNote(count: number): string {
  return count > 0 ? `${count} failed requests` : ''
}
