import Router from '@koa/router'
import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import type { Gatehouse } from '../../src/index.js'
import { type Framework, createTestApp, frameworks } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'

/** A host route behind requireAuth reading the caller the typed way: getAuth(req) on Express, ctx.state.auth on Koa. */
function projectsApp(framework: Framework, gate: Gatehouse) {
  if (framework === 'express') {
    const app = express()
    app.get('/projects', expressAdapter.requireAuth(gate), (req, res) => res.json({ owner: expressAdapter.getAuth(req).user.email }))
    // The wiring mistake getAuth reports: no requireAuth before the handler.
    app.get('/unguarded', (req, res) => res.json({ owner: expressAdapter.getAuth(req).user.email }))
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(500).json({ message: error.message }))
    return app
  }
  const app = new Koa()
  const router = new Router()
  router.get('/projects', koaAdapter.requireAuth(gate), (ctx) => {
    ctx.body = { owner: ctx.state.auth.user.email }
  })
  app.use(router.routes())
  return app.callback()
}

describe.each(frameworks)('%s: the caller behind requireAuth', (framework) => {
  it('is there for a signed-in caller; without credentials the handler never runs (401)', async () => {
    const app = createTestApp(framework)
    const login = await request(app.handler).post('/auth/signup?cookie=false').send({ email, password })
    expect(login.status).toBe(201)
    const projects = projectsApp(framework, app.gate)
    const signedIn = await request(projects).get('/projects').set('Authorization', `Bearer ${login.body.token as string}`)
    expect(signedIn.status).toBe(200)
    expect(signedIn.body).toEqual({ owner: email })
    const anonymous = await request(projects).get('/projects')
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED')
  })

  if (framework === 'express') {
    it('getAuth(req) without requireAuth before the handler throws, never answering as anonymous', async () => {
      const res = await request(projectsApp(framework, createTestApp(framework).gate)).get('/unguarded')
      expect(res.status).toBe(500)
      expect(res.body.message).toMatch(/mount requireAuth\(gate\) before this handler/)
    })
  }
})
