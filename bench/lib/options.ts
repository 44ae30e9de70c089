import type { CpuPinning } from './cpu-pinning.js'

/** Harness settings, from the command line and BENCH_* environment variables. */
export interface BenchOptions {
  /** Measured seconds per load run. */
  seconds: number
  /** Warm-up seconds before each measured run (same process, not recorded). */
  warmupSeconds: number
  /** Interleaved rounds: every variant runs once per round. */
  rounds: number
  /** Concurrent connections for GET /me. */
  connections: number
  /** Only these scenario names (variants and login scenarios); empty means all. */
  only: string[]
  quick: boolean
  /** Start variants under --cpu-prof; profiles go to BENCH_PROFILE_DIR or a fresh temp dir. */
  profile: boolean
  profileDir: string | undefined
  /** Write bench/results/latest.{md,json}: full runs do, partial ones only with --write. */
  write: boolean
  /** Leave processes where the OS puts them (--no-pin); pinned otherwise where possible (cpu-pinning.ts). */
  pin: boolean
  /** Where the processes run, set by run.ts once the harness is pinned; null: nothing pinned. */
  pinning: CpuPinning | null
}

const usage = `usage: npm run bench -- [--quick] [--only a,b] [--profile] [--write | --no-write] [--no-pin]
env: BENCH_SECONDS (default 5), BENCH_ROUNDS (3), BENCH_WARMUP (1), BENCH_CONNECTIONS (20),
     BENCH_PROFILE_DIR (profiles go here with --profile; default: a temp dir)`

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const args = [...argv]
  let quick = false
  let write: boolean | undefined
  let profile = false
  let pin = true
  let only: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--quick') quick = true
    else if (arg === '--no-write') write = false
    else if (arg === '--write') write = true
    else if (arg === '--profile') profile = true
    else if (arg === '--no-pin') pin = false
    else if (arg === '--only') only = splitList(args[++i])
    else if (arg?.startsWith('--only=')) only = splitList(arg.slice('--only='.length))
    else if (arg === '--help' || arg === '-h') {
      console.log(usage)
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}\n${usage}`)
  }
  return {
    seconds: readNumber(env, 'BENCH_SECONDS', quick ? 1 : 5, 0.5, 600),
    warmupSeconds: readNumber(env, 'BENCH_WARMUP', quick ? 0.5 : 1, 0, 60),
    rounds: Math.round(readNumber(env, 'BENCH_ROUNDS', quick ? 1 : 3, 1, 50)),
    connections: Math.round(readNumber(env, 'BENCH_CONNECTIONS', 20, 1, 1000)),
    only,
    quick,
    profile,
    profileDir: env['BENCH_PROFILE_DIR'] || undefined,
    write: write ?? (only.length === 0 && !quick && !profile),
    pin,
    pinning: null,
  }
}

function splitList(value: string | undefined): string[] {
  if (value === undefined || value === '') throw new Error('--only needs a comma-separated list of names')
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function readNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number in [${min}, ${max}]`)
  return value
}
