import express from 'express'
import { createGatehouse, type Gatehouse, type GatehouseOptions } from '../../src/index.js'
import { authRoutes, errorHandler, getAuth, requireAuth } from '../../adapters/express/index.js'
import { type DemoMailbox, serveDemoWeb } from './demo-web.js'

/**
 * A host app of its own (a projects API) with gatehouse mounted at /auth.
 * `overrides` lets tests pass a fixed clock, fast hashing or other storage; `web` adds the demo's
 * pages and mailbox (npm run demo).
 */
export function createApp(overrides: Partial<GatehouseOptions> = {}, web?: { mailbox: DemoMailbox }): { app: express.Express; gate: Gatehouse } {
  const gate = createGatehouse({
    secret: process.env.GATEHOUSE_SECRET ?? 'demo-secret-demo-secret-demo-secret-0123',
    baseUrl: process.env.GATEHOUSE_BASE_URL ?? 'http://localhost:3000',
    ...overrides,
  })
  const app = express()
  app.use(express.json()) // the host's own parser; gatehouse uses what it parsed
  app.use('/auth', authRoutes(gate))
  app.get('/api/projects', requireAuth(gate), (req, res) => {
    res.json({ owner: getAuth(req).user.email, projects: [{ id: 1, name: 'Demo project' }] })
  })
  app.post('/api/projects', requireAuth(gate), (req, res) => {
    res.status(201).json({ id: 2, name: String(req.body?.name ?? 'Untitled'), owner: getAuth(req).user.id })
  })
  if (web !== undefined) serveDemoWeb(app, web.mailbox)
  app.use(errorHandler(gate)) // JSON errors also when express.json() rejects a body first
  return { app, gate }
}
