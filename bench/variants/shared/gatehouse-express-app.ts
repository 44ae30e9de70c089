import express from 'express'
import { authRoutes, requireAuth } from '../../../adapters/express/index.js'
import { createGatehouse, type Gatehouse, type GatehouseOptions } from '../../../src/index.js'
import { announceReady } from './announce.js'
import { cookieHeaderFrom } from './cookie-header.js'
import { benchGatehouseOptions } from './gatehouse-options.js'
import { benchUser } from './credentials.js'
import { listenOnLoopback } from './listen.js'
import { announcePeer, isPeerProcess, type PeerProcess, startPeerProcess } from './peer-process.js'
import { postJson } from './post-json.js'

export interface GatehouseExpressSetup {
  storage?: GatehouseOptions['storage']
  sessionCache?: GatehouseOptions['sessionCache']
  /**
   * 'cookie': the session cookie from sign-up; 'bearer': a session token from
   * POST /auth/session?cookie=false; 'api-token': an API token (ghp_) from POST /auth/tokens.
   */
  credential: 'cookie' | 'bearer' | 'api-token'
  /**
   * Two processes behind the same store: this script is started again as a peer with `peerEnv`
   * (what it needs to open the same store), and POST /bench/revoke revokes there.
   */
  peerEnv?: Record<string, string>
  cleanup?: () => Promise<void>
}

/** Ends every session and token of the user: what POST /bench/revoke does. */
async function revokeEverything(gate: Gatehouse, userId: string): Promise<void> {
  await gate.sessions.revokeAll({ userId })
  await gate.tokens.revokeAll({ userId })
}

/**
 * gatehouse on Express as its README shows: `app.use('/auth', authRoutes(gate))`, and
 * `GET /me` behind `requireAuth(gate)` answering `req.auth.user`. The user signs up through
 * POST /auth/signup (and logs in again for a bearer token) before READY. POST /bench/revoke
 * revokes the bench user's credentials server-side (in the peer when there is one).
 */
export async function startGatehouseExpress(setup: GatehouseExpressSetup): Promise<void> {
  const app = express()
  const { port, origin } = await listenOnLoopback(app)
  const gate = createGatehouse({
    ...benchGatehouseOptions(origin, setup.storage),
    ...(setup.sessionCache === undefined ? {} : { sessionCache: setup.sessionCache }),
  })
  app.use('/auth', authRoutes(gate))
  app.get('/me', requireAuth(gate), (req, res) => {
    res.json(req.auth?.user)
  })

  if (isPeerProcess) {
    app.post('/bench/revoke', express.json(), async (req, res) => {
      await revokeEverything(gate, String((req.body as { userId?: unknown }).userId))
      res.json({})
    })
    announcePeer(port)
    return
  }

  const peer: PeerProcess | null = setup.peerEnv === undefined ? null : await startPeerProcess(setup.peerEnv)
  const credentials = { email: benchUser.email, password: benchUser.password }
  const signedUp = await postJson(`${origin}/auth/signup`, { ...credentials, name: benchUser.name }, { origin })
  const userId = ((await signedUp.clone().json()) as { user: { id: string } }).user.id
  app.post('/bench/revoke', async (_req, res) => {
    if (peer === null) await revokeEverything(gate, userId)
    else await postJson(`${peer.url}/bench/revoke`, { userId })
    res.json({ note: peer === null ? '' : 'revoked in the other process' })
  })
  const cleanup = async (): Promise<void> => {
    peer?.stop()
    await setup.cleanup?.()
  }
  if (setup.credential === 'cookie') {
    announceReady(port, { cookie: cookieHeaderFrom(signedUp) }, cleanup)
    return
  }
  const issued =
    setup.credential === 'bearer'
      ? await postJson(`${origin}/auth/session?cookie=false`, credentials, { origin })
      : await postJson(`${origin}/auth/tokens`, { name: 'bench' }, { origin, cookie: cookieHeaderFrom(signedUp) })
  const { token } = (await issued.json()) as { token?: unknown }
  if (typeof token !== 'string') throw new Error(`${issued.url} answered no token`)
  announceReady(port, { authorization: `Bearer ${token}` }, cleanup)
}
