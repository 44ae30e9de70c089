import Router from '@koa/router'
import type { App } from 'supertest/types.js'
import { requireAuth as requireAuthExpress } from '../../adapters/express/index.js'
import { requireAuth as requireAuthKoa } from '../../adapters/koa/index.js'
import { createApp as createExpressApp } from '../../examples/express-app/app.js'
import { createApp as createKoaApp } from '../../examples/koa-app/app.js'
import type { Gatehouse, GatehouseOptions } from '../../src/index.js'
import { type FixedClock, createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing } from './example-apps.js'

export interface SecondFactorTestApp {
  handler: App
  gate: Gatehouse
  clock: FixedClock
}

/**
 * The example app of each framework with a fixed clock, plus two host routes behind step-up
 * guards: GET /api/admin needs a second factor in the session, GET /api/billing one within 5 minutes.
 */
export function createSecondFactorApp(framework: Framework, overrides: Partial<GatehouseOptions> = {}): SecondFactorTestApp {
  const clock = createFixedClock()
  const options: Partial<GatehouseOptions> = { baseUrl: 'http://app.test', clock, passwords: fastHashing, logger: { error: () => {} }, ...overrides }
  if (framework === 'express') {
    const { app, gate } = createExpressApp(options)
    app.get('/api/admin', requireAuthExpress(gate, { secondFactor: true }), (req, res) => {
      res.json({ admin: req.auth?.user.email })
    })
    app.get('/api/billing', requireAuthExpress(gate, { secondFactorWithinSeconds: 300 }), (req, res) => {
      res.json({ billing: req.auth?.user.email })
    })
    return { handler: app, gate, clock }
  }
  const { app, gate } = createKoaApp(options)
  const router = new Router()
  router.get('/api/admin', requireAuthKoa(gate, { secondFactor: true }), (ctx) => {
    ctx.body = { admin: ctx.state.auth?.user.email }
  })
  router.get('/api/billing', requireAuthKoa(gate, { secondFactorWithinSeconds: 300 }), (ctx) => {
    ctx.body = { billing: ctx.state.auth?.user.email }
  })
  app.use(router.routes())
  return { handler: app.callback(), gate, clock }
}
