import { readNodeHeaders } from '../../adapters/node/node-headers.js'
import { createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { benchGatehouseOptions } from '../variants/shared/gatehouse-options.js'
import { benchUser } from '../variants/shared/credentials.js'
import { benchUserJson, randomSecret } from '../variants/shared/bench-user-record.js'
import { ReferenceSessions } from '../variants/shared/reference-guard.js'
import { median } from './median.js'

/**
 * The guard's own CPU cost, apart from HTTP: one check (credential in, caller out) timed in this
 * process with nothing else running. Throughput over loopback moves by ±10% from round to round on
 * a shared 2-core VM, far more than a guard costs; this figure is stable to about a tenth of a µs
 * and says how much of a request's CPU is the guard and how much is everything around it.
 */
export interface GuardCheckSummary {
  name: string
  label: string
  /** Median µs per check over rounds. */
  usPerCheck: number
  /** Lowest and highest round. */
  range: [number, number]
}

type Check = () => unknown

interface GuardCase {
  name: string
  label: string
  check: Check
}

/** Time-boxed per round, so the suite takes the same few seconds on any machine. */
const roundMs = 400
const batch = 500
const rounds = 7

/** Every check answers the bench user; a check that does not is a broken bench, not a fast one. */
function expectUser(result: unknown, name: string): void {
  const user = (result as { user?: { email?: unknown }; email?: unknown } | undefined)
  if (user?.email !== benchUser.email && user?.user?.email !== benchUser.email) throw new Error(`guard check ${name} did not answer the bench user`)
}

async function timeRound(check: Check): Promise<number> {
  let checks = 0
  const started = process.hrtime.bigint()
  const deadline = started + BigInt(roundMs * 1e6)
  let now = started
  while (now < deadline) {
    for (let i = 0; i < batch; i++) await check()
    checks += batch
    // A server turns the event loop between requests; so does this, or work a check defers
    // (the lastUsedAt write) would pile up behind a loop of microtasks and never be timed.
    await new Promise((resolve) => setImmediate(resolve))
    now = process.hrtime.bigint()
  }
  return Number(now - started) / 1000 / checks
}

async function gatehouseCases(options: Partial<GatehouseOptions> = {}): Promise<GuardCase[]> {
  const gate = createGatehouse({ ...benchGatehouseOptions('http://127.0.0.1:9'), ...options })
  const user = await gate.users.signUp({ email: benchUser.email, password: benchUser.password, name: benchUser.name })
  const { token: session } = await gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: Date.now() }] })
  const { token: apiToken } = await gate.tokens.create({ userId: user.id, name: 'bench' })
  const guard = gate.createGuard()
  const request = (headers: Record<string, string>) => {
    const reader = readNodeHeaders(headers)
    return () => guard({ method: 'GET', headers: reader, ip: '127.0.0.1', params: {} })
  }
  return [
    { name: 'gatehouse-cookie', label: 'gatehouse requireAuth check, session cookie, memory', check: request({ cookie: `${gate.config.cookie.name}=${session}` }) },
    { name: 'gatehouse-bearer', label: 'gatehouse requireAuth check, Bearer session token, memory', check: request({ authorization: `Bearer ${session}` }) },
    { name: 'gatehouse-api-token', label: 'gatehouse requireAuth check, Bearer API token, memory', check: request({ authorization: `Bearer ${apiToken}` }) },
  ]
}

/** The reference guard and gatehouse's guard, each checked in this process, rounds interleaved. */
export async function runGuardSuite(): Promise<GuardCheckSummary[]> {
  const reference = new ReferenceSessions<typeof benchUserJson>('sid')
  const token = randomSecret()
  reference.add(token, benchUserJson)
  const header = `sid=${token}`
  const cases: GuardCase[] = [
    { name: 'reference', label: 'reference guard: cookie, SHA-256, Map', check: () => reference.userFor(header) },
    ...(await gatehouseCases()),
  ]
  for (const c of cases) expectUser(await c.check(), c.name)
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]))
  for (const c of cases) await timeRound(c.check) // warm-up: let the JIT settle
  for (let round = 0; round < rounds; round++) {
    for (const c of round % 2 === 0 ? cases : [...cases].reverse()) samples.get(c.name)!.push(await timeRound(c.check))
  }
  return cases.map((c) => {
    const us = samples.get(c.name)!
    return { name: c.name, label: c.label, usPerCheck: median(us), range: [Math.min(...us), Math.max(...us)] }
  })
}
