import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

/**
 * Where the processes run: every GET /me server on `serverCpu`, this harness (autocannon) on
 * `harnessCpu`. Pinned, a server never migrates between cores and never shares its core with
 * the load generator; the paired runs need it most, since they compare two servers given equal
 * shares of one core. Null (nothing pinned) without taskset or with a single CPU.
 */
export interface CpuPinning {
  serverCpu: number
  harnessCpu: number
  /**
   * Every core, as taskset writes it: children inherit the harness's core, so one that must not
   * be confined to it (the login server, whose argon2id runs on libuv's threads) is given all.
   */
  everyCpu: string
}

/**
 * Pins this process to core 0 and answers the plan, or null when pinning is not possible here:
 * no taskset, one CPU, or a CPU set (a container's cpuset) without cores 0 and 1.
 */
export function pinHarness(): CpuPinning | null {
  if (process.platform !== 'linux' || cpus().length < 2) return null
  try {
    execFileSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' })
    // -a: every thread of this process (autocannon's sockets, libuv's pool), not only the main one.
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { serverCpu: 1, harnessCpu: 0, everyCpu: `0-${cpus().length - 1}` }
}

/** The command that starts `command args` on the cores `cpus` (a taskset list such as '1' or '0-3'), or as is. */
export function onCpu(cpus: string | undefined, command: string, args: readonly string[]): [string, string[]] {
  return cpus === undefined ? [command, [...args]] : ['taskset', ['-c', cpus, command, ...args]]
}
