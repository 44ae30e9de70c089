import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { AuthError, ConfigError, createGatehouse, type GatehouseOptions } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const password = 'long enough password'
const integer = /^[1-9][0-9]{0,14}$/

function mount(framework: Framework, options: Partial<GatehouseOptions>) {
  let next = 1
  const gate = createGatehouse({
    baseUrl: 'http://app.test',
    clock: createFixedClock(),
    passwords: fastHashing,
    logger: { error: () => {} },
    generateId: () => String(next++),
    ...options,
  })
  return { gate, app: mountHost(framework, gate) }
}

describe.each(frameworks)('%s: shape.<route>.paramFormats', (framework) => {
  it('answers 400 for a parameter off its format before credentials are looked at, and lets a matching one through', async () => {
    const { gate, app } = mount(framework, { shape: { workspaceGet: { paramFormats: { workspaceId: integer } }, memberList: { paramFormats: { workspaceId: integer } } } })
    const user = await gate.users.signUp({ email: 'ada@example.com', password })
    const workspace = await gate.workspaces.create({ name: 'W', ownerId: user.id })
    const login = await request(app).post('/auth/session?cookie=false').send({ email: 'ada@example.com', password })
    const bearer = { authorization: `Bearer ${login.body.token}` }
    for (const id of ['abc', '0', '1.5', '-2', '1%200']) {
      for (const headers of [bearer, {}]) {
        const res = await request(app).get(`/auth/workspaces/${id}`).set(headers)
        expect(res.status, id).toBe(400)
        expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'workspaceId', message: 'has the wrong format' }] })
      }
    }
    expect((await request(app).get(`/auth/workspaces/${workspace.id}`).set(bearer)).status).toBe(200)
    expect((await request(app).get(`/auth/workspaces/${workspace.id}/members`).set(bearer)).status).toBe(200)
    expect((await request(app).get(`/auth/workspaces/${workspace.id}`)).status).toBe(401)
    const document = gate.openApi()
    expect((document.paths['/workspaces/{workspaceId}']!.get as { parameters: unknown }).parameters).toEqual([{ name: 'workspaceId', in: 'path', required: true, schema: { type: 'string', pattern: integer.source } }])
    // A route without the option keeps its own answer: a non-member's 404.
    expect((await request(app).get('/auth/workspaces/abc/invitations').set(bearer)).status).toBe(404)
  })

  it('is a ConfigError for a parameter the route has not, or a stateful RegExp', () => {
    const problems = (options: Partial<GatehouseOptions>) => {
      try {
        mount('express', options)
        return []
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        return error.problems
      }
    }
    expect(problems({ shape: { login: { paramFormats: { workspaceId: integer } } } })).toEqual([expect.stringContaining("shape.login.paramFormats: every path of login needs the ':workspaceId' parameter")])
    expect(problems({ shape: { workspaceGet: { paramFormats: { workspaceId: /^\d+$/g } } } })).toEqual([expect.stringContaining('must not have the g or y flag')])
    expect(problems({ shape: { workspaceGet: { paramFormats: { workspaceId: '^\\d+$' as unknown as RegExp } } } })).toEqual([expect.stringContaining('must be a RegExp')])
  })
})

describe.each(frameworks)('%s: an input source that refuses the request', (framework) => {
  it("answers the AuthError a function source throws, as the route's own refusals, and creates nothing", async () => {
    const { gate, app } = mount(framework, {
      shape: {
        signup: {
          input: {
            body: {
              tos_accepted: async (req) => {
                if (((await req.readBody()) as { tos_accepted?: unknown } | undefined)?.tos_accepted !== true) {
                  throw new AuthError('INVALID_REQUEST', { details: [{ path: 'tos_accepted', message: 'must be true' }] })
                }
                return true
              },
            },
          },
        },
      },
    })
    const refused = await request(app).post('/auth/signup').send({ email: 'ada@example.com', password, tos_accepted: false })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'tos_accepted', message: 'must be true' }] })
    expect(await gate.storage.users.getByEmail('ada@example.com')).toBeNull()
    expect((await request(app).post('/auth/signup').send({ email: 'ada@example.com', password, tos_accepted: true })).status).toBe(201)
  })
})
