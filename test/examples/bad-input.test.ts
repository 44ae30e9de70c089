import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp as cyclos } from '../../examples/cyclos/app.js'
import { createApp as lagrello } from '../../examples/lagrello/app.js'
import { createApp as pupilCloud } from '../../examples/pupil-cloud/app.js'
import { createApp as semaphore } from '../../examples/semaphore/app.js'
import { createApp as toggl } from '../../examples/toggl/app.js'
import type { Gatehouse, GatehouseOptions } from '../../src/index.js'
import { createCaptureMailer, createFixedClock } from '../../src/testing/index.js'
import { fastHashing } from '../support/example-apps.js'

type MakeApp = (options: Partial<GatehouseOptions>) => Promise<{ listener: Parameters<typeof request>[0]; gate: Gatehouse }>

/** JSON bodies of the wrong shape: other types, wrong field types, a body near the size limit. */
const bodies: unknown[] = [
  [],
  'text',
  42,
  null,
  { unexpected: 1 },
  {
    email: 5, password: [], auth: {}, name: 7, user: 1, confirmation_code: 3, remember_me: 'yes', tos_accepted: 'true', enabled: 'no',
    certificate: 3, domain: [], id_token: 5, csrf_token: 5, type: 5, onboarded: 'x', photo_url: 9, newPassword: {}, key: [],
  },
  { filler: 'y'.repeat(60_000) },
]
/** Path parameters that are not ids: a malformed percent escape, and an id nobody has. */
const parameterValues = ['zz%ZZ9', '99999']

const examples: [string, MakeApp][] = [
  ['toggl', toggl as MakeApp],
  ['semaphore', semaphore as MakeApp],
  ['lagrello', lagrello as MakeApp],
  ['cyclos', cyclos as MakeApp],
  ['pupil-cloud', pupilCloud as MakeApp],
]

describe.each(examples)('examples/%s with bad input', (_name, createApp) => {
  it('answers every served endpoint below 500, for every body, unknown id and credential', async () => {
    const app = await createApp({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, delivery: { email: createCaptureMailer() }, logger: { error: () => {} } })
    const user = await app.gate.users.signUp({ email: 'a@example.com', password: 'long enough pw', name: 'Ada' })
    const { token } = await app.gate.sessions.issue({ userId: user.id, factors: [{ method: 'password', at: app.gate.config.clock.now() }] })
    const credentials = [
      {},
      { cookie: `${app.gate.config.cookie.name}=${token}`, origin: 'http://app.test' },
      { authorization: `Basic ${Buffer.from('a@example.com:long enough pw').toString('base64')}` },
      { authorization: `Bearer ${token}` },
    ]
    const { paths } = app.gate.openApi() as { paths: Record<string, Record<string, unknown>> }
    const failures: string[] = []
    let calls = 0
    for (const [path, operations] of Object.entries(paths)) {
      for (const method of Object.keys(operations) as ('get' | 'post' | 'put' | 'patch' | 'delete')[]) {
        for (const value of parameterValues) {
          const url = path.replace(/\{[^}]+\}/g, value)
          for (const headers of credentials) {
            for (const body of method === 'get' ? [undefined] : bodies) {
              let call = request(app.listener)[method](url).set(headers)
              if (body !== undefined) call = call.set('content-type', 'application/json').send(JSON.stringify(body))
              const res = await call
              calls++
              if (res.status >= 500) failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 40)} [${Object.keys(headers)}]: ${res.status}`)
            }
          }
        }
      }
    }
    // Every endpoint of the seed's table was reached, each many times over.
    expect(calls).toBeGreaterThan(Object.keys(paths).length * 8)
    expect(failures).toEqual([])
  }, 60_000)
})
