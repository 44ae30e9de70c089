import type { Redis } from 'ioredis'
import type { CacheBroadcast } from '../../src/storage/ports.js'
import { callRedis } from './call-redis.js'

export interface RedisCacheBroadcastOptions {
  /** The pub/sub channel; every process of one deployment must use the same. Default 'gatehouse:cache'. */
  channel?: string | undefined
}

export interface RedisCacheBroadcast extends CacheBroadcast {
  /** Closes the subscriber connection (graceful shutdown, tests). */
  close(): void
}

/**
 * sessionCache's broadcast over Redis pub/sub: publishes with `client`, listens on a duplicate of
 * it (a subscribed connection can do nothing else). The cache serves only while that connection
 * is subscribed; when it drops, the cache stops serving until it has reconnected and subscribed
 * again (with the client's own retryStrategy). On Redis Cluster pass a client of any one node:
 * cluster pub/sub reaches subscribers on every node.
 */
export function redisCacheBroadcast(client: Redis, options: RedisCacheBroadcastOptions = {}): RedisCacheBroadcast {
  const channel = options.channel ?? 'gatehouse:cache'
  let subscriber: Redis | undefined
  return {
    async publish(message) {
      await callRedis(() => client.publish(channel, message))
    },
    subscribe(listener) {
      if (subscriber !== undefined) throw new Error('gatehouse/redis: a cache broadcast serves one gatehouse; make one per createGatehouse')
      // Resubscribing is done here, on every ready, so that the cache knows when it is listening again.
      const connection = client.duplicate({ autoResubscribe: false, enableOfflineQueue: true })
      subscriber = connection
      const stopListening = (): void => listener.onState(false)
      connection.on('message', (from: string, message: string) => {
        if (from === channel) listener.onMessage(message)
      })
      connection.on('ready', () => {
        connection.subscribe(channel).then(() => listener.onState(true), stopListening)
      })
      connection.on('close', stopListening)
      // ioredis reports a lost connection as an error too; 'close' already stopped the cache.
      connection.on('error', stopListening)
    },
    close() {
      subscriber?.disconnect()
    },
  }
}
