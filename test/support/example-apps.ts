import type { RequestListener } from 'node:http'
import { createApp as createExpressApp } from '../../examples/express-app/app.js'
import { createApp as createKoaApp } from '../../examples/koa-app/app.js'
import type { Gatehouse, GatehouseOptions } from '../../src/index.js'
import { createFixedClock, type FixedClock } from '../../src/testing/index.js'

/** Cheap argon2 for tests that are not about hashing cost; parameters are still argon2id. */
export const fastHashing = { hashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 } }

export interface TestApp {
  /** What supertest's request() takes. */
  handler: RequestListener
  gate: Gatehouse
  clock: FixedClock
}

export type Framework = 'express' | 'koa'
export const frameworks: Framework[] = ['express', 'koa']

export function createTestApp(framework: Framework, overrides: Partial<GatehouseOptions> = {}): TestApp {
  const clock = createFixedClock()
  const options: Partial<GatehouseOptions> = {
    baseUrl: 'http://app.test',
    clock,
    passwords: fastHashing,
    logger: { error: () => {} },
    ...overrides,
  }
  // The test plays a proxy on loopback: X-Forwarded-For sets the client address; without it the socket's counts.
  if (framework === 'express') {
    const { app, gate } = createExpressApp(options)
    app.set('trust proxy', 'loopback')
    return { handler: app, gate, clock }
  }
  const { app, gate } = createKoaApp(options)
  app.proxy = true
  return { handler: app.callback(), gate, clock }
}

/** The cookie pair ('name=value') from a response's Set-Cookie for the session cookie. */
export function sessionCookieOf(setCookie: string[] | string | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]
  const found = all.find((line) => line.includes('gatehouse_session=') && !line.startsWith('gatehouse_session=;'))
  if (found === undefined) throw new Error(`no session cookie in ${JSON.stringify(all)}`)
  return found.split(';', 1)[0]!
}
