import { betterAuth } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node'
import express from 'express'
import { announceReady } from './announce.js'
import { benchUser } from './credentials.js'
import { cookieHeaderFrom } from './cookie-header.js'
import { listenOnLoopback } from './listen.js'
import { postJson } from './post-json.js'

/**
 * better-auth with its memory adapter, mounted on Express as its docs show. The user signs up
 * through better-auth's own POST /api/auth/sign-up/email; GET /me calls auth.api.getSession.
 * With `cookieCache`, getSession trusts a signed session_data cookie instead of reading the store.
 */
export async function startBetterAuth({ cookieCache }: { cookieCache: boolean }): Promise<void> {
  const app = express()
  const { port, origin } = await listenOnLoopback(app)

  const auth = betterAuth({
    baseURL: origin,
    secret: 'bench-better-auth-secret-0123456789-abcdefgh',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    session: cookieCache ? { cookieCache: { enabled: true, maxAge: 5 * 60 } } : {},
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: true },
  })

  app.all('/api/auth/*splat', toNodeHandler(auth))
  // signOut deletes the session from the store; with cookieCache, getSession still trusts the signed cookie until its maxAge.
  app.post('/bench/revoke', async (req, res) => {
    await auth.api.signOut({ headers: fromNodeHeaders(req.headers) })
    res.json({ note: cookieCache ? 'cookieCache: the signed session_data cookie is trusted until its maxAge (5 min here)' : '' })
  })
  app.get('/me', async (req, res) => {
    const found = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) })
    if (found === null) {
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
      return
    }
    res.json(found.user)
  })

  const signedUp = await postJson(
    `${origin}/api/auth/sign-up/email`,
    { email: benchUser.email, password: benchUser.password, name: benchUser.name },
    { origin },
  )
  announceReady(port, { cookie: cookieHeaderFrom(signedUp) })
}
