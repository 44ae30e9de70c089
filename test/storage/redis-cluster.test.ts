import { randomBytes } from 'node:crypto'
import type { Cluster } from 'ioredis'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { redisStorage } from '../../adapters/redis/index.js'
import { memoryStorage } from '../../src/storage/memory-storage.js'
import { describeStorageConformance } from '../../src/testing/index.js'
import { createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { type RedisCluster, hasRedisBinaries, startRedisCluster } from '../support/redis-cluster.js'
import { reportUnavailable } from '../support/report-unavailable.js'

// The Redis stores on a Redis Cluster this file starts (3 masters + 3 replicas on free loopback
// ports): the conformance kit through an ioredis Cluster client, then a failover of the master
// holding the sessions' slot, during which guarded requests fail closed (503) and after which they
// succeed again with the same session.

/** Polls of a guarded request while the cluster fails over, 100 ms apart. */
const FAILOVER_POLLS = 300
const password = 'correct horse battery staple'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let cluster: RedisCluster | null = null
let client: Cluster | null = null
if (!hasRedisBinaries()) {
  reportUnavailable('Redis Cluster', 'redis-server or redis-cli is not on PATH', 'install Redis 7 (redis-server and redis-cli) for the cluster tests')
} else {
  cluster = await startRedisCluster()
  client = await cluster.connect()
}

if (cluster !== null && client !== null) {
  const started = cluster
  const connected = client
  const keyPrefix = `gatehouse-test:${randomBytes(6).toString('hex')}:`

  afterAll(async () => {
    connected.disconnect()
    await started.stop()
  })

  describeStorageConformance('redis cluster', () => ({ ...memoryStorage(), ...redisStorage(connected, { keyPrefix }) }), {
    stores: ['sessions', 'limits', 'verifications'],
  })

  describe('redis cluster failover', () => {
    it('fails guarded requests closed (503) while the master of the sessions slot is gone, then serves the same session again', async () => {
      const prefix = `${keyPrefix}failover:`
      const { sessions, limits, verifications } = redisStorage(connected, { keyPrefix: prefix })
      const storage = { ...memoryStorage(), sessions, limits, verifications }
      const apps = frameworks.map((framework) => createTestApp(framework, { storage }))
      const signup = await request(apps[0]!.handler).post('/auth/signup').send({ email: 'ada@example.com', password })
      expect(signup.status).toBe(201)
      const cookie = sessionCookieOf(signup.headers['set-cookie'])
      for (const app of apps) expect((await request(app.handler).get('/api/projects').set('Cookie', cookie)).status).toBe(200)

      const session = await request(apps[0]!.handler).get('/auth/session').set('Cookie', cookie)
      const sessionKey = `${prefix}{${prefix}}session-id:${session.body.session.id as string}`
      const { master, replica } = await started.ownersOf(sessionKey)
      // Replication is asynchronous: the master is killed only once its replica holds the session.
      for (let poll = 0; poll < FAILOVER_POLLS && !(await started.replicaHas(replica, sessionKey)); poll++) await sleep(100)
      if (!(await started.replicaHas(replica, sessionKey))) {
        const states = `master ${master}: ${await started.describeReplication(master)}; replica ${replica}: ${await started.describeReplication(replica)}`
        expect.fail(`the session key did not reach replica ${replica} within ${FAILOVER_POLLS / 10} s (${states})`)
      }
      await started.kill(master)

      const seen = apps.map(() => new Set<number>())
      const recovered = apps.map(() => false)
      for (let poll = 0; poll < FAILOVER_POLLS && recovered.includes(false); poll++) {
        for (const [index, app] of apps.entries()) {
          if (recovered[index]) continue
          const status = (await request(app.handler).get('/api/projects').set('Cookie', cookie)).status
          seen[index]!.add(status)
          recovered[index] = status === 200
        }
        await sleep(100)
      }
      for (const [index] of apps.entries()) {
        expect([...seen[index]!].sort(), `statuses ${frameworks[index]} answered while master ${master} was gone`).toEqual([200, 503])
        expect(recovered[index], `${frameworks[index]} served the session again`).toBe(true)
      }
    }, 90_000)
  })
}
