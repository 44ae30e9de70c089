// gatehouse on Express with sessions (and limits, verifications) in Redis: every guarded request
// reads its session from Redis. Users stay in memory, so only the session lookup goes over the wire.
import { openRedisBench } from './shared/redis-bench-storage.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const redis = await openRedisBench()
await startGatehouseExpress({ credential: 'cookie', storage: redis.storage, cleanup: () => redis.cleanup() })
