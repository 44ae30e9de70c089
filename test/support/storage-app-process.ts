// One app process of the multi-process tests: PostgreSQL for everything, Redis for sessions and
// rate limits, shared with its sibling. GATEHOUSE_TEST_SESSION_CACHE adds sessionCache with a
// broadcast: 'redis' (pub/sub; sessions in Redis) or 'postgres' (LISTEN/NOTIFY; sessions in
// PostgreSQL too). Prints {"port": n} once listening on loopback (and its cache listening).
import type { AddressInfo } from 'node:net'
import { postgresCacheBroadcast, postgresStorage } from '../../adapters/postgres/index.js'
import { redisCacheBroadcast, redisStorage } from '../../adapters/redis/index.js'
import { createApp } from '../../examples/express-app/app.js'
import type { CacheBroadcast, GatehouseOptions } from '../../src/index.js'
import { createBoundedPool, createBoundedRedis, TEST_HOST, waitUntilRedisReady } from './bounded-clients.js'

const schema = process.env.GATEHOUSE_TEST_SCHEMA ?? ''
const keyPrefix = process.env.GATEHOUSE_TEST_KEY_PREFIX ?? ''
const baseUrl = process.env.GATEHOUSE_TEST_BASE_URL ?? ''
const cacheKind = process.env.GATEHOUSE_TEST_SESSION_CACHE ?? ''
const channel = process.env.GATEHOUSE_TEST_CACHE_CHANNEL ?? ''

const pool = createBoundedPool()
const redis = createBoundedRedis()
const { sessions, limits } = redisStorage(redis, { keyPrefix })
const everyStoreInPostgres = postgresStorage(pool, { schema })

const broadcast =
  cacheKind === 'redis'
    ? redisCacheBroadcast(redis, { channel })
    : cacheKind === 'postgres'
      ? postgresCacheBroadcast(pool, { channel, reconnectDelayMilliseconds: 200 })
      : null

/** Resolves once the cache first listens, so the test starts with both caches serving. */
let markListening: () => void = () => undefined
const listening = new Promise<void>((resolve) => (markListening = resolve))
function reportingListening(inner: CacheBroadcast): CacheBroadcast {
  return {
    publish: (message) => inner.publish(message),
    subscribe: (listener) =>
      inner.subscribe({
        onMessage: (message) => listener.onMessage(message),
        onState(state) {
          listener.onState(state)
          if (state) markListening()
        },
      }),
  }
}

const options: Partial<GatehouseOptions> = {
  baseUrl,
  storage: cacheKind === 'postgres' ? everyStoreInPostgres : { ...everyStoreInPostgres, sessions, limits },
}
if (broadcast !== null) options.sessionCache = { maxEntries: 1000, ttlSeconds: 60, broadcast: reportingListening(broadcast) }
else markListening()
const { app } = createApp(options)

await waitUntilRedisReady(redis)
await listening
const server = app.listen(0, TEST_HOST, () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})

function shutDown(): void {
  server.close()
  broadcast?.close()
  redis.disconnect()
  void pool.end()
}
process.on('SIGTERM', shutDown)
// The test runner holds the IPC channel: if it dies, so does this process.
process.on('disconnect', shutDown)
