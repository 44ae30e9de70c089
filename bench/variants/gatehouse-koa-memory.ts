// gatehouse on Koa 3 as its README shows: authRoutes with prefix '/auth' in front of the host's
// @koa/router routes, GET /me behind requireAuth(gate) answering ctx.state.auth.user.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Router from '@koa/router'
import Koa from 'koa'
import { authRoutes, requireAuth } from '../../adapters/koa/index.js'
import { createGatehouse } from '../../src/index.js'
import { announceReady } from './shared/announce.js'
import { cookieHeaderFrom } from './shared/cookie-header.js'
import { benchUser } from './shared/credentials.js'
import { benchGatehouseOptions } from './shared/gatehouse-options.js'
import { listenOnLoopback } from './shared/listen.js'
import { postJson } from './shared/post-json.js'

// Koa composes its middleware when callback() is called, so bind the handler after set-up.
let handle = (_req: IncomingMessage, res: ServerResponse): void => {
  res.statusCode = 503
  res.end()
}
const { port, origin } = await listenOnLoopback((req, res) => handle(req, res))

const gate = createGatehouse(benchGatehouseOptions(origin))
const app = new Koa()
const router = new Router()
router.get('/me', requireAuth(gate), (ctx) => {
  ctx.body = ctx.state.auth?.user
})
let userId = ''
router.post('/bench/revoke', async (ctx) => {
  await gate.sessions.revokeAll({ userId })
  ctx.body = {}
})
app.use(authRoutes(gate, { prefix: '/auth' }))
app.use(router.routes())
handle = app.callback()

const signedUp = await postJson(
  `${origin}/auth/signup`,
  { email: benchUser.email, password: benchUser.password, name: benchUser.name },
  { origin },
)
userId = ((await signedUp.clone().json()) as { user: { id: string } }).user.id
announceReady(port, { cookie: cookieHeaderFrom(signedUp) })
