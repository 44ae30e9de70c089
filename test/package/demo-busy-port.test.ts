import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TEST_HOST } from '../support/bounded-clients.js'

/** Starting node with tsx and loading the demo takes a few seconds on a slow machine. */
const EXIT_TIMEOUT_MS = 20_000

async function runDemoOnBusyPort(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, TEST_HOST, resolve))
  const port = (blocker.address() as { port: number }).port
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../../examples/${script}`, import.meta.url))], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS)
  try {
    const [code] = (await once(child, 'exit')) as [number | null]
    return { code, stdout, stderr }
  } finally {
    clearTimeout(timer)
    blocker.close()
  }
}

describe('npm run demo on a busy port', () => {
  for (const script of ['express-app/server.ts', 'koa-app/server.ts']) {
    it(`${script} prints the problem and exits 1 instead of pretending to run`, async () => {
      const { code, stdout, stderr } = await runDemoOnBusyPort(script)
      expect(stderr).toMatch(/port \d+ is in use; stop what runs there, or start with PORT=/)
      expect(stdout).not.toContain('demo on http://')
      expect(code).toBe(1)
    }, EXIT_TIMEOUT_MS + 5000)
  }
})
