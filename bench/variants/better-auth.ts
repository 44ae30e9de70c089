// better-auth getSession on Express, every request reads the session from the (memory) store.
import { startBetterAuth } from './shared/better-auth-app.js'

await startBetterAuth({ cookieCache: false })
