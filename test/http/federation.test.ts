import { type JsonWebKey, generateKeyPairSync } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, type GatehouseOptions } from '../../src/index.js'
import { type Framework, createTestApp, frameworks, sessionCookieOf } from '../support/example-apps.js'
import { referenceTotpAt } from '../support/reference-totp.js'

const password = 'correct horse battery'
const cannySecret = 'canny-private-key-0123456789abcdef'

function privateJwkOf(type: 'ec' | 'rsa' | 'ed25519'): JsonWebKey {
  const { privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519')
  return privateKey.export({ format: 'jwk' })
}

const docsKey = privateJwkOf('ec')

function federationOptions(overrides: Partial<NonNullable<GatehouseOptions['federation']>> = {}): GatehouseOptions['federation'] {
  return {
    audiences: {
      canny: {
        algorithm: 'HS256',
        secret: cannySecret,
        claims: (user) => ({ id: user.id, email: user.email, name: user.name ?? user.email, avatarURL: null }),
      },
      docs: { algorithm: 'ES256', privateJwk: docsKey, keyId: 'docs-1', lifetimeSeconds: 600 },
      wiki: { algorithm: 'EdDSA', privateJwk: privateJwkOf('ed25519') },
      crm: { algorithm: 'RS256', privateJwk: privateJwkOf('rsa'), allowApiTokens: true },
    },
    ...overrides,
  }
}

async function signedIn(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const app = createTestApp(framework, { federation: federationOptions(), ...overrides })
  const res = await request(app.handler).post('/auth/signup').send({ email: 'jane@example.com', password, name: 'Jane' })
  expect(res.status).toBe(201)
  return { ...app, cookie: sessionCookieOf(res.headers['set-cookie']), userId: res.body.user.id as string }
}

async function jwksOf(handler: Parameters<typeof request>[0]) {
  const res = await request(handler).get('/auth/.well-known/jwks.json')
  expect(res.status).toBe(200)
  return res.body as { keys: (JsonWebKey & { kid: string; alg: string })[] }
}

describe.each(frameworks)('%s: federation tokens', (framework) => {
  it('signs an HS256 Canny token with the mapped claims and the registered ones', async () => {
    const app = await signedIn(framework)
    const res = await request(app.handler).get('/auth/federation/canny').set('Cookie', app.cookie)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const { token } = res.body as { token: string }
    const key = new TextEncoder().encode(cannySecret)
    const currentDate = new Date(app.clock.now())
    const { payload, protectedHeader } = await jwtVerify(token, key, { issuer: 'http://app.test', audience: 'canny', currentDate })
    expect(protectedHeader).toEqual({ alg: 'HS256', kid: 'canny', typ: 'JWT' })
    expect(payload).toEqual({
      id: app.userId,
      email: 'jane@example.com',
      name: 'Jane',
      avatarURL: null,
      iss: 'http://app.test',
      sub: app.userId,
      aud: 'canny',
      iat: app.clock.now() / 1000,
      exp: app.clock.now() / 1000 + 300,
      jti: expect.any(String),
    })
    await expect(jwtVerify(token, key, { audience: 'docs', currentDate })).rejects.toThrow()
    await expect(jwtVerify(token, new TextEncoder().encode('another-secret-0123456789abcdefgh'), { currentDate })).rejects.toThrow()
    const second = await request(app.handler).get('/auth/federation/canny').set('Cookie', app.cookie)
    expect((await jwtVerify(second.body.token, key, { currentDate })).payload.jti).not.toBe(payload.jti)
  })

  it('publishes the asymmetric public keys, and their tokens verify against the JWKS route', async () => {
    const app = await signedIn(framework)
    const jwks = await jwksOf(app.handler)
    expect(jwks.keys.map((key) => [key.alg, key.kid.length > 0])).toEqual([
      ['ES256', true],
      ['EdDSA', true],
      ['RS256', true],
    ])
    expect(jwks.keys[0]!.kid).toBe('docs-1')
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/)
    const keySet = createLocalJWKSet(jwks as never)
    const currentDate = new Date(app.clock.now())
    for (const audience of ['docs', 'wiki', 'crm']) {
      const res = await request(app.handler).get(`/auth/federation/${audience}`).set('Cookie', app.cookie)
      expect(res.status, audience).toBe(200)
      const { payload } = await jwtVerify(res.body.token, keySet, { issuer: 'http://app.test', audience, currentDate })
      expect(payload).toMatchObject({ sub: app.userId, email: 'jane@example.com', name: 'Jane' })
      await expect(jwtVerify(res.body.token, keySet, { audience: 'canny', currentDate })).rejects.toThrow()
    }
    const docs = await request(app.handler).get('/auth/federation/docs').set('Cookie', app.cookie)
    const { payload } = await jwtVerify(docs.body.token, keySet, { currentDate })
    expect(payload.exp! - payload.iat!).toBe(600)
  })

  it('keeps a retired key in the JWKS until the tokens it signed have expired', async () => {
    const before = await signedIn(framework)
    const oldToken = (await request(before.handler).get('/auth/federation/docs').set('Cookie', before.cookie)).body.token as string
    expect(decodeProtectedHeader(oldToken).kid).toBe('docs-1')
    const retiredAt = before.clock.now()
    // The host restarts with a new signing key and the old one marked retired.
    const after = createTestApp(framework, {
      clock: before.clock,
      storage: before.gate.storage,
      federation: {
        audiences: {
          docs: {
            algorithm: 'ES256',
            lifetimeSeconds: 600,
            keys: [{ privateJwk: privateJwkOf('ec'), keyId: 'docs-2' }, { privateJwk: docsKey, keyId: 'docs-1', retiredAt: new Date(retiredAt).toISOString() }],
          },
        },
      },
    })
    before.clock.advance(599_000)
    const jwks = await jwksOf(after.handler)
    expect(jwks.keys.map((key) => key.kid)).toEqual(['docs-2', 'docs-1'])
    const currentDate = new Date(before.clock.now())
    await expect(jwtVerify(oldToken, createLocalJWKSet(jwks as never), { audience: 'docs', currentDate })).resolves.toBeDefined()
    const newToken = (await request(after.handler).get('/auth/federation/docs').set('Cookie', before.cookie)).body.token as string
    expect(decodeProtectedHeader(newToken).kid).toBe('docs-2')
    await expect(jwtVerify(newToken, createLocalJWKSet(jwks as never), { audience: 'docs', currentDate })).resolves.toBeDefined()
    before.clock.advance(1000)
    expect((await jwksOf(after.handler)).keys.map((key) => key.kid)).toEqual(['docs-2'])
  })

  it('answers 401 without a session, 404 for an unknown audience, 403 for an API token or a pending session', async () => {
    const app = await signedIn(framework)
    expect((await request(app.handler).get('/auth/federation/canny')).status).toBe(401)
    const unknown = await request(app.handler).get('/auth/federation/nope').set('Cookie', app.cookie)
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('NOT_FOUND')

    const apiToken = (await request(app.handler).post('/auth/tokens').set('Cookie', app.cookie).send({ name: 'ci' })).body.token as string
    const byToken = await request(app.handler).get('/auth/federation/canny').set('Authorization', `Bearer ${apiToken}`)
    expect(byToken.status).toBe(403)
    expect(byToken.body.error.code).toBe('FORBIDDEN')
    expect((await request(app.handler).get('/auth/federation/crm').set('Authorization', `Bearer ${apiToken}`)).status).toBe(200)

    const enabled = await request(app.handler).post('/auth/totp').set('Cookie', app.cookie)
    const code = referenceTotpAt(enabled.body.secret, app.clock.now())
    expect((await request(app.handler).post('/auth/totp/confirm').set('Cookie', app.cookie).send({ code })).status).toBe(200)
    const login = await request(app.handler).post('/auth/session').send({ email: 'jane@example.com', password })
    expect(login.body.pending).toBe(true)
    const pending = await request(app.handler).get('/auth/federation/canny').set('Cookie', sessionCookieOf(login.headers['set-cookie']))
    expect(pending.status).toBe(403)
    expect(pending.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
  })

  it('maps the current workspace into the claims for members only', async () => {
    const app = await signedIn(framework)
    const workspace = await app.gate.workspaces.create({ name: 'Acme', ownerId: app.userId })
    const res = await request(app.handler).get(`/auth/federation/docs?workspaceId=${workspace.id}`).set('Cookie', app.cookie)
    expect(res.status).toBe(200)
    const { payload } = await jwtVerify(res.body.token, createLocalJWKSet((await jwksOf(app.handler)) as never), { currentDate: new Date(app.clock.now()) })
    expect(payload).toMatchObject({ workspaceId: workspace.id, role: 'owner' })
    const stranger = await app.gate.workspaces.create({ name: 'Theirs', ownerId: app.userId })
    await app.gate.workspaces.delete({ workspaceId: stranger.id })
    expect((await request(app.handler).get(`/auth/federation/docs?workspaceId=${stranger.id}`).set('Cookie', app.cookie)).status).toBe(404)
    const issued = await app.gate.federation.issue({ userId: app.userId, audience: 'canny', workspaceId: workspace.id })
    expect(issued.expiresAt).toBe(new Date(app.clock.now() + 300_000).toISOString())
  })

  it("serves a dedicated path with the default audience (Pupil Cloud's /canny-sso)", async () => {
    const app = await signedIn(framework, { federation: federationOptions({ defaultAudience: 'canny' }), paths: { federatedToken: '/canny-sso' } })
    const res = await request(app.handler).get('/auth/canny-sso').set('Cookie', app.cookie)
    expect(res.status).toBe(200)
    const { payload } = await jwtVerify(res.body.token, new TextEncoder().encode(cannySecret), { audience: 'canny', currentDate: new Date(app.clock.now()) })
    expect(payload.sub).toBe(app.userId)
  })

  it('refuses keys that do not fit their algorithm when configuring', () => {
    const bad: Partial<GatehouseOptions>[] = [
      { federation: { audiences: { canny: { algorithm: 'HS256', secret: 'short' } } } },
      { federation: { audiences: { docs: { algorithm: 'ES256', privateJwk: privateJwkOf('rsa') } } } },
      { federation: { audiences: { docs: { algorithm: 'EdDSA', privateJwk: { kty: 'OKP' } } } } },
      { federation: { audiences: { docs: { algorithm: 'ES256', keys: [{ privateJwk: docsKey, retiredAt: 0 }] } } } },
      { federation: { audiences: {}, defaultAudience: 'canny' } },
    ]
    for (const options of bad) expect(() => createTestApp(framework, options), JSON.stringify(options)).toThrow(ConfigError)
  })
})
