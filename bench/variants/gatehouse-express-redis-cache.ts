// gatehouse-express-redis with sessionCache and the Redis pub/sub broadcast, as one of two
// processes behind the same Redis: the peer process revokes, this one must stop accepting.
import { redisCacheBroadcast } from '../../adapters/redis/index.js'
import { isPeerProcess } from './shared/peer-process.js'
import { openRedisBench } from './shared/redis-bench-storage.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const redis = await openRedisBench()
const broadcast = redisCacheBroadcast(redis.client, { channel: `${redis.keyPrefix}cache` })
await startGatehouseExpress({
  credential: 'cookie',
  storage: redis.storage,
  sessionCache: { maxEntries: 10_000, ttlSeconds: 60, broadcast },
  peerEnv: { BENCH_KEY_PREFIX: redis.keyPrefix },
  cleanup: async () => {
    broadcast.close()
    if (!isPeerProcess) await redis.cleanup()
  },
})
