import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { TEST_HOST } from './bounded-clients.js'

/** Starting node with tsx and loading the app takes a few seconds on a slow machine. */
const START_TIMEOUT_MS = 20_000
const SCRIPT = fileURLToPath(new URL('./storage-app-process.ts', import.meta.url))

export interface AppProcess {
  /** http://127.0.0.1:<port> */
  url: string
  stop(): Promise<void>
}

/** Spawns test/support/storage-app-process.ts with `env` and waits for the port it prints. */
export async function spawnAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const port = await readPort(child)
  return {
    url: `http://${TEST_HOST}:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = ''
    let errors = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`app process printed no port within ${START_TIMEOUT_MS} ms:\n${output}${errors}`))
    }, START_TIMEOUT_MS)
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /\{"port":(\d+)\}/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`app process exited with ${code}:\n${output}${errors}`))
    })
  })
}
