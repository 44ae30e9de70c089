import { connect } from 'node:net'

/** Services a variant may need, and where the variants look for them. */
export const serviceUrls = {
  redis: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  postgres: process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
} as const

export type Service = keyof typeof serviceUrls

/** Resolves to null when a TCP connection to the service opens within the timeout, else a reason. */
export function checkService(service: Service, timeoutMs = 1000): Promise<string | null> {
  const url = new URL(serviceUrls[service])
  const host = url.hostname || '127.0.0.1'
  const port = Number(url.port || (service === 'redis' ? 6379 : 5432))
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (reason: string | null): void => {
      socket.destroy()
      resolve(reason)
    }
    socket.setTimeout(timeoutMs, () => done(`${service} at ${host}:${port} did not answer in ${timeoutMs} ms`))
    socket.once('connect', () => done(null))
    socket.once('error', (error) => done(`${service} at ${host}:${port}: ${error.message}`))
  })
}
