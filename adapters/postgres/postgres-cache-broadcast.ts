import type { Pool, PoolClient } from 'pg'
import type { CacheBroadcast } from '../../src/storage/ports.js'
import { createQueryRunner } from './query-runner.js'

export interface PostgresCacheBroadcastOptions {
  /** The LISTEN/NOTIFY channel; every process of one deployment must use the same. Default 'gatehouse_cache'. */
  channel?: string | undefined
  /** Wait before listening again after the listening connection was lost. Default 1000. */
  reconnectDelayMilliseconds?: number | undefined
}

export interface PostgresCacheBroadcast extends CacheBroadcast {
  /** Releases the listening connection; call it before pool.end(). */
  close(): Promise<void>
}

const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * sessionCache's broadcast over PostgreSQL LISTEN/NOTIFY: notifies through the pool, listens on
 * one connection it keeps checked out of it (give the pool one more connection). The cache serves
 * only while that connection listens; when it is lost the cache stops serving until a new one
 * listens again.
 */
export function postgresCacheBroadcast(pool: Pool, options: PostgresCacheBroadcastOptions = {}): PostgresCacheBroadcast {
  const channel = options.channel ?? 'gatehouse_cache'
  if (!CHANNEL_PATTERN.test(channel)) throw new TypeError(`gatehouse/postgres: channel must match ${CHANNEL_PATTERN}, got ${JSON.stringify(channel)}`)
  const reconnectDelayMs = options.reconnectDelayMilliseconds ?? 1000
  const runQuery = createQueryRunner(pool)
  let subscribed = false
  let closed = false
  let listening: PoolClient | undefined
  let retry: NodeJS.Timeout | undefined

  return {
    async publish(message) {
      await runQuery('SELECT pg_notify($1, $2)', [channel, message])
    },
    subscribe(listener) {
      if (subscribed) throw new Error('gatehouse/postgres: a cache broadcast serves one gatehouse; make one per createGatehouse')
      subscribed = true

      function lose(client: PoolClient, error?: Error): void {
        if (listening !== client) return
        listening = undefined
        listener.onState(false)
        client.release(error ?? true)
        scheduleListen()
      }

      function scheduleListen(): void {
        if (closed) return
        retry = setTimeout(() => void listen(), reconnectDelayMs)
        retry.unref()
      }

      async function listen(): Promise<void> {
        let client: PoolClient
        try {
          client = await pool.connect()
        } catch {
          scheduleListen()
          return
        }
        if (closed) {
          client.release()
          return
        }
        listening = client
        client.on('notification', (notification) => {
          if (notification.channel === channel && notification.payload !== undefined) listener.onMessage(notification.payload)
        })
        client.on('error', (error) => lose(client, error))
        client.on('end', () => lose(client))
        try {
          await client.query(`LISTEN "${channel}"`)
          if (listening === client) listener.onState(true)
        } catch (error) {
          lose(client, error instanceof Error ? error : undefined)
        }
      }

      void listen()
    },
    async close() {
      closed = true
      clearTimeout(retry)
      const client = listening
      listening = undefined
      client?.release(true)
    },
  }
}
