// `npm run bench`: GET /me throughput and latency for gatehouse, bare Express/Koa and peers, plus
// login throughput and GET /me latency under a login flood. See bench/lib/options.ts for flags.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { installExitHooks, killAllChildren } from './lib/child-process.js'
import { runGuardSuite } from './lib/guard-suite.js'
import { runLoginSuite } from './lib/login-suite.js'
import { pinHarness } from './lib/cpu-pinning.js'
import { describeMachine, machineLine } from './lib/machine.js'
import { runMeSuite } from './lib/me-suite.js'
import { parseOptions } from './lib/options.js'
import { type BenchReport, renderMarkdown } from './lib/report.js'
import { writeResults } from './lib/results-file.js'
import { selectScenarios } from './lib/selection.js'
import { checkTargets } from './lib/targets.js'
import { guardSuiteName, loginScenarios, meVariants } from './lib/variants.js'

installExitHooks()
const options = parseOptions(process.argv.slice(2), process.env)
if (options.profile) options.profileDir ??= mkdtempSync(join(tmpdir(), 'gatehouse-bench-prof-'))
else options.profileDir = undefined

const pinning = options.pin ? pinHarness() : null
options.pinning = pinning
const machine = describeMachine()
const selected = selectScenarios(options.only, meVariants, loginScenarios)
console.log(`gatehouse bench · ${machineLine(machine)}`)
console.log(
  `${selected.me.length} GET /me variants, ${selected.login.length} login scenarios · ${options.rounds} rounds × ` +
    `${options.seconds} s (+${options.warmupSeconds} s warm-up) · ${options.connections} connections`,
)
console.log(pinning === null ? 'processes not pinned (no taskset, one CPU, or --no-pin): no side-by-side runs' : `servers pinned to CPU ${pinning.serverCpu}, this harness to CPU ${pinning.harnessCpu}`)
if (options.profileDir !== undefined) console.log(`CPU profiles: ${options.profileDir}`)

try {
  const me = await runMeSuite(selected.me, options)
  const login = await runLoginSuite(selected.login, options)
  // In this process, after every variant is gone: nothing else competes for the CPU.
  const guard = options.only.length === 0 || options.only.includes(guardSuiteName) ? await runGuardSuite() : []
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine,
    settings: {
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      rounds: options.rounds,
      connections: options.connections,
      only: options.only,
      quick: options.quick,
      serverCpu: pinning?.serverCpu,
    },
    me,
    login,
    guard,
    targets: checkTargets(me),
  }
  console.log(`\n${renderMarkdown(report)}`)
  if (options.write) for (const path of writeResults(report)) console.log(`wrote ${path}`)
  else console.log('(partial run: results not written; pass --write to write them)')
} finally {
  killAllChildren()
}
