import { spawn } from 'node:child_process'

/** A second server on the same store: where the two-process variants revoke, so the revocation crosses processes. */
export interface PeerProcess {
  url: string
  stop(): void
}

const peerReadyTimeoutMs = 60_000

/** Whether this process is the peer of a two-process variant (started by startPeerProcess). */
export const isPeerProcess = process.env['BENCH_PEER'] === '1'

/** Prints the peer's ready line for startPeerProcess. */
export function announcePeer(port: number): void {
  process.stdout.write(`PEER ${port}\n`)
  // The variant holds the peer's stdin: when it goes, so does the peer.
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

/** Starts this variant's script again as its peer, with `env`, and waits (bounded) for its PEER line. */
export function startPeerProcess(env: Record<string, string>): Promise<PeerProcess> {
  const script = process.argv[1]
  if (script === undefined) throw new Error('no script to start the peer from')
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env, BENCH_PEER: '1' },
  })
  process.once('exit', () => child.kill())
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`peer printed no PEER line within ${peerReadyTimeoutMs} ms`))
    }, peerReadyTimeoutMs)
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const match = /^PEER (\d+)$/m.exec(output)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      resolve({ url: `http://127.0.0.1:${match[1]}`, stop: () => child.kill() })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`peer exited with ${code}`))
    })
  })
}
