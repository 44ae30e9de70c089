import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

/**
 * Where the processes run: every server on `serverCpu`, this harness (autocannon) on
 * `harnessCpu`. Pinned, a server never migrates between cores and never shares its core with
 * the load generator; the paired runs need it most, since they compare two servers given equal
 * shares of one core. Null (nothing pinned) without taskset or with a single CPU.
 */
export interface CpuPinning {
  serverCpu: number
  harnessCpu: number
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Pins this process to core 0 and answers the plan, or null when pinning is not possible here. */
export function pinHarness(): CpuPinning | null {
  if (process.platform !== 'linux' || cpus().length < 2 || !hasTaskset()) return null
  // -a: every thread of this process (autocannon's sockets, libuv's pool), not only the main one.
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
  return { serverCpu: 1, harnessCpu: 0 }
}

/** The command that starts `command args` on `cpu` (or as is without pinning). */
export function onCpu(cpu: number | undefined, command: string, args: readonly string[]): [string, string[]] {
  return cpu === undefined ? [command, [...args]] : ['taskset', ['-c', String(cpu), command, ...args]]
}
