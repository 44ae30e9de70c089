import { startVariant } from './child-process.js'
import { type LoadSample, runLoad, warmUp } from './load.js'
import { median } from './median.js'
import type { BenchOptions } from './options.js'
import { checkService } from './service-check.js'
import type { Baseline, MeVariant } from './variants.js'

export interface MeRun extends LoadSample {
  round: number
  /** rps / the baseline's rps in the same round. */
  ratio: number | null
  /** cpuUsPerRequest - the baseline's in the same round. */
  cpuOverBaseline: number | null
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
  failures: number
  skipped?: string
}

const readyTimeoutMs = 60_000

/** GET /me on every variant, `rounds` times, interleaved: A, B, C, ..., A, B, C, ... */
export async function runMeSuite(variants: readonly MeVariant[], options: BenchOptions): Promise<MeSummary[]> {
  const summaries = new Map<string, MeSummary>(
    variants.map((v) => [
      v.name,
      { name: v.name, label: v.label, framework: v.framework, group: v.group, baseline: v.baseline, runs: [], rps: null, p99: null, cpuUs: null, cpuUsOverBaseline: null, ratio: null, ratioRange: null, failures: 0 },
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
    console.log(`\nGET /me round ${round}/${options.rounds}`)
    const roundRps = new Map<string, number>()
    const roundCpu = new Map<string, number | null>()
    for (const variant of roundOrder(variants, round)) {
      const summary = summaries.get(variant.name)
      if (summary === undefined || summary.skipped !== undefined) continue
      const sample = await measureOnce(variant.name, options).catch((error: unknown) => {
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
      roundRps.set(variant.name, sample.rps)
      roundCpu.set(variant.name, sample.cpuUsPerRequest)
      const base = roundRps.get(variant.baseline)
      const ratio = base === undefined || base === 0 ? null : sample.rps / base
      const baseCpu = roundCpu.get(variant.baseline)
      const cpuOverBaseline = baseCpu == null || sample.cpuUsPerRequest === null ? null : sample.cpuUsPerRequest - baseCpu
      summary.runs.push({ ...sample, round, ratio, cpuOverBaseline })
      console.log(
        `  ${pad(variant.name)} ${fmt(sample.rps)} req/s  p99 ${sample.p99} ms` +
          (sample.cpuUsPerRequest === null ? '' : `  cpu ${sample.cpuUsPerRequest.toFixed(0)} µs/req`) +
          (ratio === null || variant.name === variant.baseline ? '' : `  x${ratio.toFixed(2)} of ${variant.baseline}`) +
          (sample.failures > 0 ? `  (${sample.failures} failed requests!)` : ''),
      )
    }
  }

  for (const summary of summaries.values()) {
    if (summary.runs.length === 0) continue
    summary.rps = median(summary.runs.map((r) => r.rps))
    summary.p99 = median(summary.runs.map((r) => r.p99))
    const ratios = summary.runs.flatMap((r) => (r.ratio === null ? [] : [r.ratio]))
    summary.ratio = ratios.length === 0 ? null : median(ratios)
    summary.ratioRange = ratios.length === 0 ? null : [Math.min(...ratios), Math.max(...ratios)]
    summary.cpuUs = medianOrNull(summary.runs.map((r) => r.cpuUsPerRequest))
    summary.cpuUsOverBaseline = medianOrNull(summary.runs.map((r) => r.cpuOverBaseline))
    summary.failures = summary.runs.reduce((sum, r) => sum + r.failures, 0)
  }
  return [...summaries.values()]
}

async function measureOnce(name: string, options: BenchOptions): Promise<LoadSample | { skip: string }> {
  const started = await startVariant(name, { readyTimeoutMs, profileDir: options.profileDir })
  if (started.kind === 'skip') return { skip: started.reason }
  const { variant } = started
  try {
    const request = { url: variant.url('/me'), headers: variant.headers, connections: options.connections, serverPid: variant.pid }
    await warmUp({ ...request, seconds: options.warmupSeconds })
    return await runLoad({ ...request, seconds: options.seconds })
  } finally {
    await variant.stop()
  }
}

/**
 * The order of one round: the bare baselines first (every ratio needs its round's baseline), then
 * the other variants rotated by one place per round, so that no variant always runs at the same
 * distance from its baseline while the machine drifts.
 */
function roundOrder(variants: readonly MeVariant[], round: number): MeVariant[] {
  const baselines = variants.filter((v) => v.name === v.baseline)
  const others = variants.filter((v) => v.name !== v.baseline)
  const shift = others.length === 0 ? 0 : (round - 1) % others.length
  return [...baselines, ...others.slice(shift), ...others.slice(0, shift)]
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
