// better-auth getSession on Express with session.cookieCache: a signed cookie spares the store read.
import { startBetterAuth } from './shared/better-auth-app.js'

await startBetterAuth({ cookieCache: true })
