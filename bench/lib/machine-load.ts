import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** Microseconds per /proc clock tick (CLK_TCK is 100). */
const tickMicros = 10_000

export interface CpuTicks {
  busy: number
  total: number
}

/** Machine-wide CPU ticks from /proc/stat (null where there is no /proc). */
export function readCpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? ''
    const [, user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).map(Number)
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)
    const total = busy + (idle ?? 0) + (iowait ?? 0)
    return Number.isFinite(busy) && Number.isFinite(total) ? { busy, total } : null
  } catch {
    return null
  }
}

/**
 * Share of the machine's CPU (0..1, all cores) used between two readings by anything but the
 * bench itself (`ownMicros`: the harness's and the server's CPU time). The benchmarks share the
 * box with other work; this says how much.
 */
export function foreignShare(before: CpuTicks | null, after: CpuTicks | null, ownMicros: number): number | null {
  if (before === null || after === null) return null
  const total = (after.total - before.total) * tickMicros
  if (total <= 0) return null
  const busy = (after.busy - before.busy) * tickMicros
  return Math.min(1, Math.max(0, (busy - ownMicros) / total))
}

/**
 * Waits (bounded) until the machine has been quiet for a second: less than `threshold` of its CPU
 * busy. Answers the last busy share seen, or null without /proc.
 */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.15): Promise<number | null> {
  const deadline = Date.now() + maxWaitMs
  let share: number | null = null
  for (let i = 0; i < 1000; i++) {
    const before = readCpuTicks()
    await sleep(1000)
    share = foreignShare(before, readCpuTicks(), 0)
    if (share === null || share < threshold || Date.now() >= deadline) return share
  }
  return share
}
