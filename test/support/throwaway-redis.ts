import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { TEST_HOST } from './bounded-clients.js'

/** How long redis-server may take to say it is ready. */
const READY_TIMEOUT_MS = 10_000

export interface ThrowawayRedis {
  /** Kills the server (SIGKILL: a crash, not a shutdown) and waits for it to exit. */
  kill(): Promise<void>
}

/** A redis-server child on `port` that saves nothing, so a restart starts empty; `extraArgs` add settings (cluster mode). */
export async function startThrowawayRedis(port: number, extraArgs: readonly string[] = []): Promise<ThrowawayRedis> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', TEST_HOST, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  await waitUntilReady(child)
  return {
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`))
    }, READY_TIMEOUT_MS)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`))
    })
  })
}
