// gatehouse on Express with every store in PostgreSQL (a fresh schema, migrated first): a guarded
// request is one named prepared query, the session joined to its user.
import { openPostgresBench } from './shared/postgres-bench-storage.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const postgres = await openPostgresBench()
await startGatehouseExpress({ credential: 'cookie', storage: postgres.storage, cleanup: () => postgres.cleanup() })
