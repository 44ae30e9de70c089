import autocannon from 'autocannon'
import { foreignShare, readCpuTicks } from './machine-load.js'
import { processCpuMicros } from './process-cpu.js'

export interface LoadRequest {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  seconds: number
  /** The server's pid: its CPU time per request is measured from /proc when given. */
  serverPid?: number | undefined
}

/** One measured load run. Only 2xx responses count towards throughput and latency. */
export interface LoadSample {
  /** 2xx responses per second over the run. */
  rps: number
  /** Latency of 2xx responses, milliseconds (autocannon resolves 1 ms). */
  p50: number
  p99: number
  max: number
  ok: number
  /** Non-2xx answers, connection errors and timeouts: a run with any of these is suspect. */
  failures: number
  /**
   * Server CPU time (all its threads) per 2xx response, microseconds; null without /proc. Less
   * sensitive than req/s to a noisy neighbour taking the load generator's core.
   */
  cpuUsPerRequest: number | null
  /** Share of the machine's CPU used by other processes during the run (0..1); null without /proc. */
  foreignCpu: number | null
}

/** Drives the URL with autocannon for a bounded time and summarises the run. */
export async function runLoad(request: LoadRequest): Promise<LoadSample> {
  const run = autocannon({
    url: request.url,
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: request.connections,
    duration: request.seconds,
    pipelining: 1,
    timeout: 10,
  })
  const hardStop = setTimeout(() => run.stop(), (request.seconds + 30) * 1000)
  const cpuBefore = processCpuMicros(request.serverPid)
  const ownBefore = process.cpuUsage()
  const machineBefore = readCpuTicks()
  try {
    const result = await run
    const cpuAfter = processCpuMicros(request.serverPid)
    const own = process.cpuUsage(ownBefore)
    const server = cpuBefore === null || cpuAfter === null ? 0 : cpuAfter - cpuBefore
    const foreignCpu = foreignShare(machineBefore, readCpuTicks(), own.user + own.system + server)
    const ok = result['2xx']
    return {
      rps: result.duration > 0 ? ok / result.duration : 0,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      ok,
      failures: result.non2xx + result.errors + result.timeouts,
      cpuUsPerRequest: cpuBefore === null || cpuAfter === null || ok === 0 ? null : (cpuAfter - cpuBefore) / ok,
      foreignCpu,
    }
  } finally {
    clearTimeout(hardStop)
  }
}

/** Drives the URL briefly without recording (JIT, connection pools, caches). */
export async function warmUp(request: LoadRequest): Promise<void> {
  if (request.seconds <= 0) return
  await runLoad(request)
}
