import { Validator } from '@seriousme/openapi-schema-validator'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createGatehouse, type GatehouseOptions, type OpenApiDocument } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const options: Partial<GatehouseOptions> = {
  mountPath: '/v2',
  tokens: { scopes: ['admin'], apiKeyHeader: 'api-key' },
  authenticate: { sessionTokenHeader: 'Session-Token', splitSessionCookie: 'Session-Token' },
  paths: {
    logout: 'POST /auth/logout',
    login: ['/auth/login', '/auth/session'],
    federatedToken: [{ path: '/auth/canny-sso', params: { audience: 'canny' } }, '/federation/:audience'],
    totpEnable: '/v1/users/:userId/totp',
  },
  responses: { errors: { status: { TOKEN_EXPIRED: 403 }, body: (error) => ({ message: error.message, errorType: error.code }) } },
  shape: {
    signup: { input: { body: { email: 'body:auth', password: 'header:confirmationPassword' } }, success: { status: 200 } },
    passwordChange: { input: { body: { newPassword: 'text' } } },
    magicLinkVerify: { input: { query: { token: 'query:payload' } } },
    logout: { success: { status: 204 } },
    totpEnable: { actAs: { param: 'userId', scope: 'admin', resolveUser: () => null } },
  },
}

function documentOf(extra: Partial<GatehouseOptions> = {}): OpenApiDocument {
  return createGatehouse({ baseUrl: 'https://app.example.com', secret: 's'.repeat(32), ...options, ...extra }).openApi({ title: 'Pupil', version: '2' })
}

type Operation = { operationId: string; parameters?: { name: string; in: string; required: boolean }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> }; responses: Record<string, unknown>; security?: Record<string, string[]>[] }

function operation(doc: OpenApiDocument, path: string, method: string): Operation {
  const found = doc.paths[path]?.[method] as Operation | undefined
  if (found === undefined) throw new Error(`no ${method} ${path} in ${Object.keys(doc.paths).join(', ')}`)
  return found
}

/** Problems @seriousme/openapi-schema-validator finds in the document (OpenAPI 3.1 schema), or null when valid. */
async function validateOpenApi(doc: unknown): Promise<string | null> {
  const result = await new Validator().validate(doc as Parameters<Validator['validate']>[0])
  return result.valid ? null : JSON.stringify(result.errors).slice(0, 2000)
}

describe('gate.openApi: the OpenAPI 3.1 document of a mount as shaped', () => {
  it('is a valid OpenAPI 3.1 document for a real validator (@seriousme/openapi-schema-validator)', async () => {
    expect(await validateOpenApi(documentOf())).toBeNull()
    expect(await validateOpenApi(createGatehouse({ baseUrl: 'http://app.test' }).openApi())).toBeNull()
    // The validator does refuse a broken document (no info, a response without a description).
    expect(await validateOpenApi({ openapi: '3.1.0', paths: { '/x': { get: { responses: { 200: {} } } } } })).not.toBeNull()
  })

  it('names every mounted path and method, aliases and bindings included, with ids unique', () => {
    const doc = documentOf()
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toEqual({ title: 'Pupil', version: '2' })
    expect(doc.servers).toEqual([{ url: 'https://app.example.com/v2' }])
    expect(operation(doc, '/auth/logout', 'post').operationId).toBe('logout')
    expect(doc.paths['/session']?.delete).toBeUndefined()
    expect([operation(doc, '/auth/login', 'post').operationId, operation(doc, '/auth/session', 'post').operationId]).toEqual(['login', 'login_2'])
    expect(operation(doc, '/auth/canny-sso', 'get').parameters ?? []).toEqual([])
    expect(operation(doc, '/federation/{audience}', 'get').parameters).toEqual([{ name: 'audience', in: 'path', required: true, schema: { type: 'string' } }])
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => (op as Operation).operationId))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('describes inputs after mapping: renamed body fields, headers, query and a text/plain body', () => {
    const doc = documentOf()
    const signup = operation(doc, '/signup', 'post')
    const schema = signup.requestBody!.content['application/json']!.schema
    expect(Object.keys(schema.properties ?? {})).toContain('auth')
    expect(Object.keys(schema.properties ?? {})).not.toContain('email')
    expect(schema.required).toContain('auth')
    expect(signup.parameters).toContainEqual(expect.objectContaining({ name: 'confirmationPassword', in: 'header', required: true }))
    expect(signup.responses['200']).toBeDefined()
    expect(Object.keys(operation(doc, '/password', 'post').requestBody!.content)).toEqual(['text/plain'])
    expect(operation(doc, '/magic-link/verify', 'get').parameters).toContainEqual(expect.objectContaining({ name: 'payload', in: 'query' }))
  })

  it('names the credential schemes, the shaped statuses and the error shape', () => {
    const doc = documentOf()
    expect(doc.components.securitySchemes).toMatchObject({
      apiKey: { type: 'apiKey', in: 'header', name: 'api-key' },
      sessionHeader: { type: 'apiKey', in: 'header', name: 'session-token' },
      splitSessionCookie: { type: 'apiKey', in: 'cookie', name: 'Session-Token' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: '__Host-gatehouse_session' },
    })
    expect(operation(doc, '/session', 'get').security).toContainEqual({ sessionHeader: [], splitSessionCookie: [] })
    expect(operation(doc, '/login-options', 'get').security).toBeUndefined()
    expect(operation(doc, '/v1/users/{userId}/totp', 'post').security).toEqual([{ bearer: [] }, { apiKey: [] }, { accessClient: [] }])
    const logout = operation(doc, '/auth/logout', 'post')
    expect(logout.responses['204']).toEqual({ description: 'Success, no body.' })
    expect(logout.responses['403']).toBeDefined()
    const plain = createGatehouse({ baseUrl: 'http://app.test' }).openApi()
    expect(operation(plain, '/session', 'get').responses.default).toEqual({
      description: expect.any(String),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    })
  })
})

describe.each(frameworks)('%s: GET /openapi.json', (framework) => {
  it('serves the same document when openApi.serve is set, and 404 otherwise', async () => {
    const make = (extra: Partial<GatehouseOptions>) =>
      createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} }, ...options, ...extra })
    const served = make({ openApi: { serve: true, title: 'Pupil', version: '2' } })
    const res = await request(mountHost(framework, served)).get('/v2/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body).toEqual(JSON.parse(JSON.stringify(served.openApi({ title: 'Pupil', version: '2' }))))
    const hidden = await request(mountHost(framework, make({}))).get('/v2/openapi.json')
    expect(hidden.status).toBe(404)
  })
})
