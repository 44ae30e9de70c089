import { createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { type Framework, type TestApp, fastHashing } from './example-apps.js'
import { mountHost } from './mount-host.js'

/**
 * A host of each framework with a fixed clock and three guarded routes: GET /api/projects needs a
 * full session, GET /api/admin a second factor in the session, GET /api/billing one within 5 minutes.
 */
export function createSecondFactorApp(framework: Framework, overrides: Partial<GatehouseOptions> = {}): TestApp {
  const clock = createFixedClock()
  const gate = createGatehouse({ baseUrl: 'http://app.test', clock, passwords: fastHashing, logger: { error: () => {} }, ...overrides })
  const handler = mountHost(framework, gate, {
    guarded: {
      '/api/projects': {},
      '/api/admin': { secondFactor: true },
      '/api/billing': { secondFactorWithinSeconds: 300 },
    },
  })
  return { handler, gate, clock }
}
