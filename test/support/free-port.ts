import { createServer } from 'node:net'
import { TEST_HOST } from './bounded-clients.js'

/** A loopback port nobody listens on right now (the OS picks it; we close it again at once). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, TEST_HOST, () => {
      const address = server.address()
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port assigned'))
        else resolve(address.port)
      })
    })
  })
}
