// gatehouse-express-postgres with sessionCache and the LISTEN/NOTIFY broadcast, as one of two
// processes behind the same database: the peer process revokes, this one must stop accepting.
import { postgresCacheBroadcast } from '../../adapters/postgres/index.js'
import { isPeerProcess } from './shared/peer-process.js'
import { openPostgresBench } from './shared/postgres-bench-storage.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const postgres = await openPostgresBench()
const broadcast = postgresCacheBroadcast(postgres.pool, { channel: `${postgres.schema}_cache` })
await startGatehouseExpress({
  credential: 'cookie',
  storage: postgres.storage,
  sessionCache: { maxEntries: 10_000, ttlSeconds: 60, broadcast },
  peerEnv: { BENCH_SCHEMA: postgres.schema },
  cleanup: async () => {
    await broadcast.close()
    if (isPeerProcess) await postgres.pool.end()
    else await postgres.cleanup()
  },
})
