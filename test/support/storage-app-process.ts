// One app process of the multi-process test: PostgreSQL for everything, Redis for sessions and
// rate limits, shared with its sibling. Prints {"port": n} once listening on loopback.
import type { AddressInfo } from 'node:net'
import { postgresStorage } from '../../adapters/postgres/index.js'
import { redisStorage } from '../../adapters/redis/index.js'
import { createApp } from '../../examples/express-app/app.js'
import { createBoundedPool, createBoundedRedis, TEST_HOST, waitUntilRedisReady } from './bounded-clients.js'

const schema = process.env.GATEHOUSE_TEST_SCHEMA ?? ''
const keyPrefix = process.env.GATEHOUSE_TEST_KEY_PREFIX ?? ''
const baseUrl = process.env.GATEHOUSE_TEST_BASE_URL ?? ''

const pool = createBoundedPool()
const redis = createBoundedRedis()
const { sessions, limits } = redisStorage(redis, { keyPrefix })
const { app } = createApp({
  baseUrl,
  storage: { ...postgresStorage(pool, { schema }), sessions, limits },
})

await waitUntilRedisReady(redis)
const server = app.listen(0, TEST_HOST, () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})

function shutDown(): void {
  server.close()
  redis.disconnect()
  void pool.end()
}
process.on('SIGTERM', shutDown)
// The test runner holds the IPC channel: if it dies, so does this process.
process.on('disconnect', shutDown)
