import express from 'express'
import { authRoutes, requireAuth } from '../../../adapters/express/index.js'
import { createGatehouse, type GatehouseOptions } from '../../../src/index.js'
import { announceReady } from './announce.js'
import { cookieHeaderFrom } from './cookie-header.js'
import { benchGatehouseOptions } from './gatehouse-options.js'
import { benchUser } from './credentials.js'
import { listenOnLoopback } from './listen.js'
import { postJson } from './post-json.js'

export interface GatehouseExpressSetup {
  storage?: GatehouseOptions['storage']
  /**
   * 'cookie': the session cookie from sign-up; 'bearer': a session token from
   * POST /auth/session?cookie=false; 'api-token': an API token (ghp_) from POST /auth/tokens.
   */
  credential: 'cookie' | 'bearer' | 'api-token'
  cleanup?: () => Promise<void>
}

/**
 * gatehouse on Express as its README shows: `app.use('/auth', authRoutes(gate))`, and
 * `GET /me` behind `requireAuth(gate)` answering `req.auth.user`. The user signs up through
 * POST /auth/signup (and logs in again for a bearer token) before READY.
 */
export async function startGatehouseExpress(setup: GatehouseExpressSetup): Promise<void> {
  const app = express()
  const { port, origin } = await listenOnLoopback(app)
  const gate = createGatehouse(benchGatehouseOptions(origin, setup.storage))
  app.use('/auth', authRoutes(gate))
  app.get('/me', requireAuth(gate), (req, res) => {
    res.json(req.auth?.user)
  })

  const credentials = { email: benchUser.email, password: benchUser.password }
  const signedUp = await postJson(`${origin}/auth/signup`, { ...credentials, name: benchUser.name }, { origin })
  if (setup.credential === 'cookie') {
    announceReady(port, { cookie: cookieHeaderFrom(signedUp) }, setup.cleanup)
    return
  }
  const issued =
    setup.credential === 'bearer'
      ? await postJson(`${origin}/auth/session?cookie=false`, credentials, { origin })
      : await postJson(`${origin}/auth/tokens`, { name: 'bench' }, { origin, cookie: cookieHeaderFrom(signedUp) })
  const { token } = (await issued.json()) as { token?: unknown }
  if (typeof token !== 'string') throw new Error(`${issued.url} answered no token`)
  announceReady(port, { authorization: `Bearer ${token}` }, setup.cleanup)
}
