// gatehouse on Express, session cookie, memory storage (the default).
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

await startGatehouseExpress({ credential: 'cookie' })
