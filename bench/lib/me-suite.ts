import { type RunningVariant, startVariant } from './child-process.js'
import { type LoadSample, runLoad, warmUp } from './load.js'
import { median } from './median.js'
import { measureRevocation, revocationBoundMs, type RevocationSample } from './revocation.js'
import type { BenchOptions } from './options.js'
import { waitForQuiet } from './machine-load.js'
import { checkService } from './service-check.js'
import type { Baseline, MeVariant } from './variants.js'

export interface MeRun extends LoadSample {
  round: number
  /** When the run began (ms since the epoch). */
  at: number
  /** rps / the baseline's rps at that moment of the round (interpolated between its opening and closing runs). */
  ratio: number | null
  /** cpuUsPerRequest - the baseline's at that moment of the round. */
  cpuOverBaseline: number | null
  /** How long the credential was still accepted after revocation; null for the baselines. */
  revocation: RevocationSample | null
  /** rps / the baseline's rps side by side on one core (measurePaired); null for the baselines and when not pinned. */
  pairedRatio: number | null
}

export interface MeSummary {
  name: string
  label: string
  framework: MeVariant['framework']
  group: MeVariant['group']
  baseline: Baseline
  runs: MeRun[]
  /** Medians over rounds; null when the variant did not run. */
  rps: number | null
  p99: number | null
  /** Median server CPU µs per response, and the median of per-round differences to the baseline's. */
  cpuUs: number | null
  cpuUsOverBaseline: number | null
  /** Median of the per-round ratios to the baseline (robust to drift between rounds). */
  ratio: number | null
  /** Lowest and highest per-round ratio: how much the machine's noise moved this figure. */
  ratioRange: [number, number] | null
  /** Median and range of the side-by-side ratios: the figure targets are checked against when present. */
  pairedRatio: number | null
  pairedRange: [number, number] | null
  failures: number
  /**
   * "Revoked session accepted": the median ms a revoked credential still got 200 over the runs,
   * null when it was still accepted at `boundMs` in any run; the whole field null for the baselines.
   */
  revokedAccepted: { ms: number | null; boundMs: number; note: string } | null
  skipped?: string
}

const readyTimeoutMs = 60_000
/** Before each round, wait up to this long for other work on the machine to calm down. */
const quietWaitMs = 120_000

/**
 * GET /me on every variant, `rounds` times, interleaved: bare, A, B, C, ..., bare; bare, B, C, ..., A, bare; ...
 */
export async function runMeSuite(variants: readonly MeVariant[], options: BenchOptions): Promise<MeSummary[]> {
  const summaries = new Map<string, MeSummary>(
    variants.map((v) => [
      v.name,
      { name: v.name, label: v.label, framework: v.framework, group: v.group, baseline: v.baseline, runs: [], rps: null, p99: null, cpuUs: null, cpuUsOverBaseline: null, ratio: null, ratioRange: null, pairedRatio: null, pairedRange: null, failures: 0, revokedAccepted: null },
    ]),
  )
  for (const variant of variants) {
    for (const service of variant.needs ?? []) {
      const problem = await checkService(service)
      const summary = summaries.get(variant.name)
      if (problem !== null && summary !== undefined) summary.skipped ??= problem
    }
  }

  for (let round = 1; round <= options.rounds && variants.length > 0; round++) {
    const busy = await waitForQuiet(quietWaitMs)
    console.log(`\nGET /me round ${round}/${options.rounds}` + (busy !== null && busy >= 0.15 ? ` (machine still ${Math.round(busy * 100)}% busy after waiting)` : ''))
    const measured: MeRun[] = []
    const owner = new Map<MeRun, MeVariant>()
    for (const variant of roundOrder(variants, round)) {
      const summary = summaries.get(variant.name)
      if (summary === undefined || summary.skipped !== undefined) continue
      const at = Date.now()
      const sample = await measureOnce(variant, options).catch((error: unknown) => {
        summary.skipped = `failed: ${(error as Error).message.split('\n')[0] ?? ''}`
        console.error(`  ${variant.name}: ${(error as Error).message}`)
        return null
      })
      if (sample === null) continue
      if ('skip' in sample) {
        summary.skipped = sample.skip
        console.log(`  ${pad(variant.name)} skipped: ${sample.skip}`)
        continue
      }
      const run: MeRun = { ...sample, round, at, ratio: null, cpuOverBaseline: null }
      measured.push(run)
      owner.set(run, variant)
      summary.runs.push(run)
      console.log(
        `  ${pad(variant.name)} ${fmt(sample.rps)} req/s  p99 ${sample.p99} ms` +
          (sample.cpuUsPerRequest === null ? '' : `  cpu ${sample.cpuUsPerRequest.toFixed(0)} µs/req`) +
          (sample.pairedRatio === null ? '' : `  side by side x${sample.pairedRatio.toFixed(2)}`) +
          (sample.foreignCpu !== null && sample.foreignCpu >= 0.1 ? `  (others used ${Math.round(sample.foreignCpu * 100)}% of the machine)` : '') +
          (sample.failures > 0 ? `  (${sample.failures} failed requests!)` : ''),
      )
    }
    // ratios once the round's closing baselines are in: each run against its baseline at that moment
    const ratios: string[] = []
    for (const run of measured) {
      const variant = owner.get(run)
      if (variant === undefined || variant.name === variant.baseline) continue
      const base = measured.filter((r) => owner.get(r)?.name === variant.baseline)
      const baseRps = interpolate(base, run.at, (r) => r.rps)
      const baseCpu = interpolate(base, run.at, (r) => r.cpuUsPerRequest)
      run.ratio = baseRps === null || baseRps === 0 ? null : run.rps / baseRps
      run.cpuOverBaseline = baseCpu === null || run.cpuUsPerRequest === null ? null : run.cpuUsPerRequest - baseCpu
      if (run.ratio !== null) ratios.push(`${variant.name} x${run.ratio.toFixed(2)}`)
    }
    if (ratios.length > 0) console.log(`  vs bare: ${ratios.join(', ')}`)
  }

  for (const summary of summaries.values()) {
    if (summary.runs.length === 0) continue
    summary.rps = median(summary.runs.map((r) => r.rps))
    summary.p99 = median(summary.runs.map((r) => r.p99))
    const ratios = summary.runs.flatMap((r) => (r.ratio === null ? [] : [r.ratio]))
    summary.ratio = ratios.length === 0 ? null : median(ratios)
    summary.ratioRange = ratios.length === 0 ? null : [Math.min(...ratios), Math.max(...ratios)]
    const paired = summary.runs.flatMap((r) => (r.pairedRatio === null ? [] : [r.pairedRatio]))
    summary.pairedRatio = paired.length === 0 ? null : median(paired)
    summary.pairedRange = paired.length === 0 ? null : [Math.min(...paired), Math.max(...paired)]
    summary.cpuUs = medianOrNull(summary.runs.map((r) => r.cpuUsPerRequest))
    summary.cpuUsOverBaseline = medianOrNull(summary.runs.map((r) => r.cpuOverBaseline))
    summary.failures = summary.runs.reduce((sum, r) => sum + r.failures, 0)
    const revocations = summary.runs.flatMap((r) => (r.revocation === null ? [] : [r.revocation]))
    if (revocations.length > 0) {
      const everRefused = revocations.every((r) => r.acceptedMs !== null)
      summary.revokedAccepted = {
        ms: everRefused ? median(revocations.map((r) => r.acceptedMs ?? 0)) : null,
        boundMs: revocationBoundMs,
        note: revocations[0]?.note ?? '',
      }
    }
  }
  return [...summaries.values()]
}

async function measureOnce(
  variant: MeVariant,
  options: BenchOptions,
): Promise<(LoadSample & { revocation: RevocationSample | null; pairedRatio: number | null }) | { skip: string }> {
  const serverCpu = options.pinning?.serverCpu
  const started = await startVariant(variant.name, { readyTimeoutMs, profileDir: options.profileDir, cpus: serverCpu === undefined ? undefined : String(serverCpu) })
  if (started.kind === 'skip') return { skip: started.reason }
  const running = started.variant
  try {
    const request = { url: running.url('/me'), headers: running.headers, connections: options.connections, serverPid: running.pid }
    await warmUp({ ...request, seconds: options.warmupSeconds })
    const sample = await runLoad({ ...request, seconds: options.seconds })
    const pairedRatio = variant.name === variant.baseline || serverCpu === undefined ? null : await measurePaired(variant, running, serverCpu, options)
    // After the load: revoking ends the bench credential, and the process is restarted for the next run.
    return { ...sample, pairedRatio, revocation: await measureRevocation(running) }
  } finally {
    await running.stop()
  }
}

/**
 * The variant and a fresh bare server of its framework side by side on one core, each driven by
 * half the connections at the same time. The two share that core's time, so the ratio of their
 * throughputs is the ratio of their CPU cost per request, measured at the same moment: a slow
 * patch of the machine slows both, where it moves the runs one after the other by 20%. Null when
 * either run failed requests.
 */
async function measurePaired(variant: MeVariant, running: RunningVariant, cpu: number, options: BenchOptions): Promise<number | null> {
  const started = await startVariant(variant.baseline, { readyTimeoutMs, cpus: String(cpu) })
  if (started.kind === 'skip') return null
  const bare = started.variant
  try {
    const connections = Math.max(1, Math.round(options.connections / 2))
    const both = (seconds: number) =>
      Promise.all([
        runLoad({ url: running.url('/me'), headers: running.headers, connections, seconds }),
        runLoad({ url: bare.url('/me'), headers: bare.headers, connections, seconds }),
      ])
    // The bare server is new: its JIT warms up while the variant's stays warm.
    await both(Math.max(1, options.warmupSeconds))
    const [mine, base] = await both(options.seconds)
    return mine.failures > 0 || base.failures > 0 || base.rps === 0 ? null : mine.rps / base.rps
  } finally {
    await bare.stop()
  }
}

/**
 * The order of one round: the bare baselines open and close it, so that every ratio compares a
 * variant with its baseline at the same moment (the machine drifts over a round); the other
 * variants are rotated by one place per round, so none always runs at the same point.
 */
function roundOrder(variants: readonly MeVariant[], round: number): MeVariant[] {
  const baselines = variants.filter((v) => v.name === v.baseline)
  const others = variants.filter((v) => v.name !== v.baseline)
  if (others.length === 0) return baselines
  const shift = (round - 1) % others.length
  return [...baselines, ...others.slice(shift), ...others.slice(0, shift), ...baselines]
}

/** The baseline's value at `at`, linear between its runs of the round (or the one run there is). */
function interpolate(base: readonly MeRun[], at: number, value: (run: MeRun) => number | null): number | null {
  const points = base.flatMap((r) => {
    const v = value(r)
    return v === null ? [] : [{ at: r.at, v }]
  })
  const first = points[0]
  const last = points[points.length - 1]
  if (first === undefined || last === undefined) return null
  if (last.at === first.at) return (first.v + last.v) / 2
  const t = Math.min(1, Math.max(0, (at - first.at) / (last.at - first.at)))
  return first.v + (last.v - first.v) * t
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null)
  return present.length === 0 ? null : median(present)
}

function pad(name: string): string {
  return name.padEnd(28)
}

function fmt(rps: number): string {
  return Math.round(rps).toString().padStart(6)
}
