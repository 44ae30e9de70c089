// gatehouse on Express, an API token (ghp_, made with POST /auth/tokens) as `Authorization: Bearer`, memory storage.
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

await startGatehouseExpress({ credential: 'api-token' })
