import Router from '@koa/router'
import Koa from 'koa'
import { createGatehouse, type Gatehouse, type GatehouseOptions } from '../../src/index.js'
import { authRoutes, requireAuth } from '../../adapters/koa/index.js'

/** The Koa twin of the Express example: gatehouse at /auth, a guarded projects API beside it. */
export function createApp(overrides: Partial<GatehouseOptions> = {}): { app: Koa; gate: Gatehouse } {
  const gate = createGatehouse({
    secret: process.env.GATEHOUSE_SECRET ?? 'demo-secret-demo-secret-demo-secret-0123',
    baseUrl: process.env.GATEHOUSE_BASE_URL ?? 'http://localhost:3001',
    ...overrides,
  })
  const app = new Koa()
  const router = new Router()
  router.get('/api/projects', requireAuth(gate), (ctx) => {
    ctx.body = { owner: ctx.state.auth.user.email, projects: [{ id: 1, name: 'Demo project' }] }
  })
  router.post('/api/projects', requireAuth(gate), (ctx) => {
    ctx.status = 201
    ctx.body = { id: 2, owner: ctx.state.auth.user.id }
  })
  app.use(authRoutes(gate, { prefix: '/auth' }))
  app.use(router.routes())
  return { app, gate }
}
