import { readFileSync } from 'node:fs'

/** Linux clock ticks per second (`getconf CLK_TCK`; 100 on every mainstream kernel config). */
const ticksPerSecond = 100

/**
 * CPU time (user + system, all threads) a process has used so far, in microseconds, read from
 * /proc/<pid>/stat. Null where /proc is not available (then the report leaves the column empty).
 */
export function processCpuMicros(pid: number | undefined): number | null {
  if (pid === undefined) return null
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null
    return ((utime + stime) * 1_000_000) / ticksPerSecond
  } catch {
    return null
  }
}
