// Koa + the design's reference guard (cookie -> SHA-256 -> Map): the floor for a session guard.
import Router from '@koa/router'
import Koa from 'koa'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'
import { ReferenceSessions } from './shared/reference-guard.js'

const sessions = new ReferenceSessions<typeof benchUserJson>('sid')
const token = randomSecret()
sessions.add(token, benchUserJson)

const app = new Koa()
const router = new Router()
router.get(
  '/me',
  async (ctx, next) => {
    const user = sessions.userFor(ctx.get('cookie') || undefined)
    if (user === undefined) {
      ctx.status = 401
      ctx.body = { error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }
      return
    }
    ctx.state['user'] = user
    await next()
  },
  (ctx) => {
    ctx.body = ctx.state['user']
  },
)
router.post('/bench/revoke', (ctx) => {
  sessions.remove(token)
  ctx.body = {}
})
app.use(router.routes())

const { port } = await listenOnLoopback(app.callback())
announceReady(port, { cookie: `sid=${token}` })
