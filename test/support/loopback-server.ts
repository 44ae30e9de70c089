import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http'
import { TEST_HOST } from './bounded-clients.js'

export interface LoopbackServer {
  /** Method, URL and headers of every request, in arrival order. */
  readonly requests: ReadonlyArray<{ method: string; url: string; headers: IncomingHttpHeaders }>
  close(): Promise<void>
}

/** Serves `listener` on TEST_HOST:`port` and records what arrives, so a test can see what a browser really sent. */
export async function serveOnLoopback(listener: RequestListener, port: number): Promise<LoopbackServer> {
  const requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    listener(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, TEST_HOST, resolve)
  })
  return {
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}
