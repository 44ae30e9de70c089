import { type RequestListener, type Server, createServer } from 'node:http'

/**
 * Starts a demo on 127.0.0.1, or prints why it cannot and exits 1 (a busy port must not look like
 * a running demo). `onListening` gets the port actually bound (PORT=0 picks a free one).
 */
export function listenOrExit(handler: RequestListener, port: number, onListening: (port: number) => void): Server {
  const server = createServer(handler)
  server.once('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `gatehouse demo: port ${port} is in use; stop what runs there, or start with PORT=<another port>`
        : `gatehouse demo: could not listen on port ${port}: ${error.message}`,
    )
    process.exit(1)
  })
  server.listen(port, '127.0.0.1', () => {
    const address = server.address()
    onListening(typeof address === 'object' && address !== null ? address.port : port)
  })
  return server
}

/** The demo's origins: opened as localhost or as 127.0.0.1, both are the demo itself. */
export function demoOrigins(port: number): { baseUrl: string; trustedOrigins: string[] } {
  return { baseUrl: process.env.GATEHOUSE_BASE_URL ?? `http://localhost:${port}`, trustedOrigins: [`http://127.0.0.1:${port}`] }
}
