import type { RequestListener } from 'node:http'
import Router from '@koa/router'
import express from 'express'
import Koa from 'koa'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import type { Gatehouse, GuardNeeds } from '../../src/index.js'
import type { Framework } from './example-apps.js'

export interface HostOptions {
  /**
   * A host body parser in front of gatehouse that leaves a body whatever the Content-Type:
   * express.json({ type: () => true }) parses a typeless body; on Koa a stand-in for
   * koa-bodyparser, which parses JSON and leaves {} for the types it skips.
   */
  hostParser?: 'any-content-type'
  /** Host routes by path, for every method, behind requireAuth(gate, needs); each answers the auth context as JSON. */
  guarded?: Record<string, GuardNeeds>
}

/** What a request that no route takes answers, so a test can tell it went past gatehouse to the host. */
export const HOST_NOT_FOUND = 'host 404'

/**
 * A bare host app of `framework` with gatehouse's routes at the gate's mount path, then the
 * guarded host routes, then a 404 of the host's own. Answers what supertest's request() takes.
 */
export function mountHost(framework: Framework, gate: Gatehouse, options: HostOptions = {}): RequestListener {
  const guarded = Object.entries(options.guarded ?? {})
  if (framework === 'express') {
    const app = express()
    if (options.hostParser !== undefined) app.use(express.json({ type: () => true }))
    app.use(gate.mountPath || '/', expressAdapter.authRoutes(gate))
    for (const [path, needs] of guarded) app.all(path, expressAdapter.requireAuth(gate, needs), (req, res) => res.json(req.auth))
    app.use((_req, res) => res.status(404).send(HOST_NOT_FOUND))
    return app
  }
  const app = new Koa()
  if (options.hostParser !== undefined) app.use(parseJsonLikeKoaBodyparser)
  app.use(koaAdapter.authRoutes(gate))
  const router = new Router()
  for (const [path, needs] of guarded) {
    router.all(path, koaAdapter.requireAuth(gate, needs), (ctx) => {
      ctx.body = ctx.state.auth
    })
  }
  app.use(router.routes())
  app.use((ctx) => {
    ctx.status = 404
    ctx.body = HOST_NOT_FOUND
  })
  return app.callback()
}

async function parseJsonLikeKoaBodyparser(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  let text = ''
  if (ctx.is('application/json')) for await (const chunk of ctx.req) text += String(chunk)
  ;(ctx.request as { body?: unknown }).body = text === '' ? {} : JSON.parse(text)
  await next()
}
