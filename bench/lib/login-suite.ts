import { benchUser } from '../variants/shared/credentials.js'
import { type RunningVariant, startVariant } from './child-process.js'
import { type LoadRequest, type LoadSample, runLoad, warmUp } from './load.js'
import { median } from './median.js'
import type { BenchOptions } from './options.js'
import type { LoginScenario } from './variants.js'

/** Connections of the GET /me probe that runs alone and then alongside the login flood. */
export const probeConnections = 10
/** Connections of the login flood. */
export const floodConnections = 8

export interface LoginRound {
  round: number
  login1: LoadSample
  login8: LoadSample
  /** GET /me alone, then GET /me while 8 clients log in as fast as they can. */
  meAlone: LoadSample
  meUnderFlood: LoadSample
  floodLogins: LoadSample
}

export interface Median {
  rps: number
  p50: number
  p99: number
  max: number
  failures: number
}

export interface LoginSummary {
  name: string
  label: string
  rounds: LoginRound[]
  login1: Median | null
  login8: Median | null
  meAlone: Median | null
  meUnderFlood: Median | null
  floodLogins: Median | null
  skipped?: string
}

/** Login throughput with 1 and 8 clients, and GET /me latency during a login flood. */
export async function runLoginSuite(scenarios: readonly LoginScenario[], options: BenchOptions): Promise<LoginSummary[]> {
  const summaries: LoginSummary[] = scenarios.map((s) => ({
    name: s.name, label: s.label, rounds: [], login1: null, login8: null, meAlone: null, meUnderFlood: null, floodLogins: null,
  }))
  for (let round = 1; round <= options.rounds && scenarios.length > 0; round++) {
    console.log(`\nlogin round ${round}/${options.rounds}`)
    for (const [i, scenario] of scenarios.entries()) {
      const summary = summaries[i]
      if (summary === undefined || summary.skipped !== undefined) continue
      try {
        const started = await startVariant(scenario.variant, { readyTimeoutMs: 60_000, profileDir: options.profileDir, cpus: options.pinning?.everyCpu })
        if (started.kind === 'skip') {
          summary.skipped = started.reason
          continue
        }
        try {
          const result = await measureLogin(started.variant, scenario, options, round)
          summary.rounds.push(result)
          console.log(
            `  ${scenario.name.padEnd(20)} login x1 ${result.login1.rps.toFixed(1)}/s p99 ${result.login1.p99} ms | ` +
              `x8 ${result.login8.rps.toFixed(1)}/s p99 ${result.login8.p99} ms | ` +
              `/me p99 alone ${result.meAlone.p99} ms, under flood ${result.meUnderFlood.p99} ms (max ${result.meUnderFlood.max})` +
              (failures(result) > 0 ? `  (${failures(result)} failed requests!)` : ''),
          )
        } finally {
          await started.variant.stop()
        }
      } catch (error) {
        summary.skipped = `failed: ${(error as Error).message.split('\n')[0] ?? ''}`
        console.error(`  ${scenario.name}: ${(error as Error).message}`)
      }
    }
  }
  for (const summary of summaries) {
    if (summary.rounds.length === 0) continue
    summary.login1 = medianOf(summary.rounds.map((r) => r.login1))
    summary.login8 = medianOf(summary.rounds.map((r) => r.login8))
    summary.meAlone = medianOf(summary.rounds.map((r) => r.meAlone))
    summary.meUnderFlood = medianOf(summary.rounds.map((r) => r.meUnderFlood))
    summary.floodLogins = medianOf(summary.rounds.map((r) => r.floodLogins))
  }
  return summaries
}

async function measureLogin(variant: RunningVariant, scenario: LoginScenario, options: BenchOptions, round: number): Promise<LoginRound> {
  const login = (connections: number, seconds: number): LoadRequest => ({
    url: variant.url(scenario.path),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: benchUser.email, password: benchUser.password }),
    connections,
    seconds,
  })
  const me = (seconds: number): LoadRequest => ({ url: variant.url('/me'), headers: variant.headers, connections: probeConnections, seconds })

  await warmUp(login(2, options.warmupSeconds))
  await warmUp(me(options.warmupSeconds))
  const login1 = await runLoad(login(1, options.seconds))
  const login8 = await runLoad(login(floodConnections, options.seconds))
  const meAlone = await runLoad(me(options.seconds))
  const [meUnderFlood, floodLogins] = await Promise.all([runLoad(me(options.seconds)), runLoad(login(floodConnections, options.seconds))])
  return { round, login1, login8, meAlone, meUnderFlood, floodLogins }
}

function failures(r: LoginRound): number {
  return r.login1.failures + r.login8.failures + r.meAlone.failures + r.meUnderFlood.failures + r.floodLogins.failures
}

function medianOf(samples: readonly LoadSample[]): Median {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    max: median(samples.map((s) => s.max)),
    failures: samples.reduce((sum, s) => sum + s.failures, 0),
  }
}
