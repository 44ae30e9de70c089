// Bare Koa 3 + @koa/router: GET /me answers the user JSON with no authentication (the baseline).
import Router from '@koa/router'
import Koa from 'koa'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'

const app = new Koa()
const router = new Router()
router.get('/me', (ctx) => {
  ctx.body = benchUserJson
})
app.use(router.routes())

const { port } = await listenOnLoopback(app.callback())
announceReady(port, { cookie: `sid=${randomSecret()}` })
