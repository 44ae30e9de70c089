// gatehouse on Express, session token as `Authorization: Bearer ghs_...`, memory storage.
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

await startGatehouseExpress({ credential: 'bearer' })
