import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { onCpu } from './cpu-pinning.js'
import { parseReadyLine } from './ready-line.js'

/** Every variant process still alive; all are killed when the harness exits, however it exits. */
const live = new Set<ChildProcess>()

export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  live.clear()
}

let hooksInstalled = false
/** Installs exit hooks once: normal exit, Ctrl-C, SIGTERM, uncaught errors. */
export function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', killAllChildren)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllChildren()
      process.exit(130)
    })
  }
  process.on('uncaughtException', (error) => {
    killAllChildren()
    console.error(error)
    process.exit(1)
  })
}

export interface RunningVariant {
  name: string
  pid: number | undefined
  port: number
  headers: Record<string, string>
  url(path: string): string
  stop(): Promise<void>
}

export type StartResult = { kind: 'ready'; variant: RunningVariant } | { kind: 'skip'; reason: string }

export interface StartOptions {
  readyTimeoutMs: number
  /** When set, the child runs under --cpu-prof and writes its profile here on exit. */
  profileDir?: string | undefined
  env?: NodeJS.ProcessEnv
  /** The cores the child runs on, a taskset list (bench/lib/cpu-pinning.ts); the harness's when undefined. */
  cpus?: string | undefined
}

const variantsDir = join(import.meta.dirname, '..', 'variants')

/**
 * Spawns `node --import tsx bench/variants/<name>.ts` and waits (bounded) for its READY or SKIP
 * line. The child's stdin is a pipe it watches, so it also exits if this process dies.
 */
export async function startVariant(name: string, options: StartOptions): Promise<StartResult> {
  const nodeArgs = ['--import', 'tsx']
  if (options.profileDir !== undefined) {
    // one directory per process: the main thread and tsx's loader thread each write a profile there
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', join(options.profileDir, `${name}-${Date.now()}`))
  }
  // taskset execs node in place: the child's pid stays the one whose CPU time /proc reports.
  const [command, args] = onCpu(options.cpus, process.execPath, [...nodeArgs, join(variantsDir, `${name}.ts`)])
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
  })
  live.add(child)
  child.once('exit', () => live.delete(child))

  const stderr: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk)
    if (stderr.length > 50) stderr.shift()
  })

  try {
    const line = await waitForReadyLine(child, options.readyTimeoutMs)
    if (line.kind === 'skip') {
      await stopChild(child)
      return line
    }
    const { port, headers } = line
    return {
      kind: 'ready',
      variant: {
        name,
        pid: child.pid,
        port,
        headers,
        url: (path) => `http://127.0.0.1:${port}${path}`,
        stop: () => stopChild(child),
      },
    }
  } catch (error) {
    await stopChild(child)
    const detail = stderr.join('').trim().split('\n').slice(-15).join('\n')
    throw new Error(`variant ${name} did not start: ${(error as Error).message}${detail ? `\n${detail}` : ''}`)
  }
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number): Promise<{ kind: 'ready'; port: number; headers: Record<string, string> } | { kind: 'skip'; reason: string }> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null) return reject(new Error('no stdout'))
    const lines = createInterface({ input: child.stdout })
    const timer = setTimeout(() => finish(new Error(`no READY within ${timeoutMs} ms`)), timeoutMs)
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`exited (code ${code}, signal ${signal}) before READY`))
    let done = false
    function finish(result: Error | Exclude<ReturnType<typeof parseReadyLine>, null>): void {
      if (done) return
      done = true
      clearTimeout(timer)
      child.off('exit', onExit)
      if (result instanceof Error) {
        lines.close()
        reject(result)
      } else {
        // keep draining stdout so the child never blocks on a full pipe
        lines.on('line', (line) => process.stdout.write(`  [child] ${line}\n`))
        resolve(result)
      }
    }
    child.once('exit', onExit)
    lines.on('line', (line) => {
      if (done) return
      const parsed = parseReadyLine(line)
      if (parsed !== null) finish(parsed)
      else process.stdout.write(`  [child] ${line}\n`)
    })
  })
}

/** SIGTERM (the variant exits cleanly, writing any CPU profile), then SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  try {
    await exited
  } finally {
    clearTimeout(timer)
    live.delete(child)
  }
}
