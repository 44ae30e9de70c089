import Router from '@koa/router'
import express from 'express'
import Koa from 'koa'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import { type AuthContext, type AuthResponse, type RouteName, ConfigError, createGatehouse, defineFeature, defineRoute } from '../../src/index.js'

// The types a host sees, pinned: `npm test` type-checks this file (tsc --noEmit), so a type that
// drifts fails there; each `@ts-expect-error` line must stay an error or tsc fails on the unused
// directive. The runtime halves check that the types describe what the code does.

const baseUrl = 'http://app.test'

/** Every built-in route name once: a missing one fails the type check, an extra one too (excess property). */
const everyRouteName: Record<RouteName, true> = {
  signup: true,
  login: true,
  logout: true,
  currentAuth: true,
  sessionList: true,
  sessionRevoke: true,
  profileGet: true,
  profileUpdate: true,
  passwordChange: true,
  unregister: true,
  loginOptions: true,
  magicLinkSend: true,
  magicLinkVerify: true,
  emailVerificationSend: true,
  emailVerificationVerify: true,
  auditList: true,
  otpSend: true,
  passwordResetRequest: true,
  passwordResetInfo: true,
  passwordResetComplete: true,
  totpEnable: true,
  totpConfirm: true,
  totpDisable: true,
  recoveryCodesRegenerate: true,
  secondFactorInfo: true,
  secondFactorVerify: true,
  passkeyRegisterOptions: true,
  passkeyRegister: true,
  passkeyLoginOptions: true,
  passkeyLogin: true,
  passkeyList: true,
  passkeyRename: true,
  passkeyDelete: true,
  apiTokenCreate: true,
  apiTokenList: true,
  apiTokenGet: true,
  apiTokenRevoke: true,
  apiTokenReset: true,
  accessClientActivate: true,
  accessClientDisconnect: true,
  oidcStart: true,
  oidcCallback: true,
  oidcLink: true,
  oidcTokenLogin: true,
  identityList: true,
  identityUnlink: true,
  oidcLogout: true,
  oidcBackchannelLogout: true,
  workspaceCreate: true,
  workspaceList: true,
  workspaceGet: true,
  memberList: true,
  memberUpdate: true,
  memberRemove: true,
  invitationCreate: true,
  invitationRevoke: true,
  invitationList: true,
  invitationGet: true,
  invitationAccept: true,
  invitationDecline: true,
  federatedToken: true,
  jwks: true,
  openApiDocument: true,
  samlLoginUrl: true,
  samlAcs: true,
  samlMetadata: true,
  ssoConfigGet: true,
  ssoConfigPut: true,
  ssoConfigSetEnabled: true,
  ssoConfigDelete: true,
  ssoLink: true,
}

describe('route names', () => {
  it('are exactly the names of the mounted built-in routes', () => {
    expectTypeOf<string>().not.toExtend<RouteName>()
    expectTypeOf<'scimUsers'>().not.toExtend<RouteName>()
    expectTypeOf<'login'>().toExtend<RouteName>()
    const mounted = new Set(createGatehouse({ baseUrl }).routes.map((route) => route.name))
    expect([...mounted].sort()).toEqual(Object.keys(everyRouteName).sort())
  })

  it('are the only keys paths, disable and respond accept; plain JS still gets a ConfigError', () => {
    // @ts-expect-error scimUsers is no route of this gatehouse
    expect(() => createGatehouse({ baseUrl, paths: { scimUsers: '/scim' } })).toThrow(ConfigError)
    // @ts-expect-error noSuchRoute is no route of this gatehouse
    expect(() => createGatehouse({ baseUrl, disable: ['noSuchRoute'] })).toThrow(ConfigError)
    // @ts-expect-error a misspelt name
    expect(() => createGatehouse({ baseUrl, respond: { logn: (response: AuthResponse) => response } })).toThrow(ConfigError)
    expect(createGatehouse({ baseUrl, paths: { login: '/sign-in' }, disable: ['unregister'] }).routes.map((route) => route.name)).not.toContain('unregister')
  })

  it("give each respond hook its own route's name, and an AuthResponse to reshape", () => {
    createGatehouse({
      baseUrl,
      respond: {
        login: (response, context) => {
          expectTypeOf(context.route).toEqualTypeOf<'login'>()
          expectTypeOf(response).toEqualTypeOf<AuthResponse>()
          return response
        },
        // @ts-expect-error a hook answers an AuthResponse, which has a status
        logout: (_response, { route }) => ({ body: route }),
        sessionList: (response, { route }) => {
          expectTypeOf(route).toEqualTypeOf<'sessionList'>()
          return response
        },
      },
    })
  })

  it("type shaping per route name: shape keys, each function's route, methods and error codes", () => {
    createGatehouse({
      baseUrl,
      paths: { logout: 'POST /auth/logout', federatedToken: [{ path: '/canny-sso', params: { audience: 'canny' } }, '/federation/:audience'] },
      shape: {
        login: {
          success: {
            body: (body, context) => {
              expectTypeOf(context.route).toEqualTypeOf<'login'>()
              return body
            },
          },
          errors: { status: { INVALID_CREDENTIALS: 403 } },
        },
      },
      responses: {
        envelope: (result, { route, status }) => {
          expectTypeOf(route).toEqualTypeOf<RouteName>()
          return { status, result }
        },
      },
    })
    // @ts-expect-error a misspelt name
    expect(() => createGatehouse({ baseUrl, shape: { logn: {} } })).toThrow(ConfigError)
    // @ts-expect-error NOT_A_CODE is no error code
    expect(() => createGatehouse({ baseUrl, shape: { signup: { errors: { status: { NOT_A_CODE: 400 } } } } })).toThrow(ConfigError)
    // @ts-expect-error FETCH is no method
    expect(() => createGatehouse({ baseUrl, paths: { logout: { method: 'FETCH', path: '/x' } } })).toThrow(ConfigError)
  })

  it("include a host feature's routes when it is installed, and only then", () => {
    const notes = defineFeature({
      name: 'notes',
      routes: [defineRoute({ name: 'noteAdd', method: 'POST', path: '/notes', access: 'user', handle: async () => ({ status: 201 }) })],
    })
    const gate = createGatehouse({ baseUrl, features: [notes], paths: { noteAdd: '/my-notes' } })
    expect(gate.routes.find((route) => route.name === 'noteAdd')?.path).toBe('/my-notes')
    // @ts-expect-error noteAdd is a route only when the notes feature is installed
    expect(() => createGatehouse({ baseUrl, paths: { noteAdd: '/my-notes' } })).toThrow(ConfigError)
  })
})

describe('the caller in a host handler', () => {
  const gate = createGatehouse({ baseUrl })

  it('Express: getAuth(req) is an AuthContext behind requireAuth; req.auth may be undefined (optionalAuth)', () => {
    const app = express()
    app.get('/projects', expressAdapter.requireAuth(gate), (req, res) => {
      expectTypeOf(expressAdapter.getAuth(req)).toEqualTypeOf<AuthContext>()
      res.json({ owner: expressAdapter.getAuth(req).user.email })
    })
    app.get('/feed', expressAdapter.optionalAuth(gate), (req, res) => {
      expectTypeOf(req.auth).toEqualTypeOf<AuthContext | undefined>()
      // @ts-expect-error behind optionalAuth the caller may be anonymous
      res.json({ owner: req.auth.user.email })
    })
  })

  it('Koa: ctx.state.auth is an AuthContext behind requireAuth, optional behind optionalAuth', () => {
    const router = new Router()
    router.get('/projects', koaAdapter.requireAuth(gate, { scopes: ['projects:read'] }), (ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthContext>()
      ctx.body = { owner: ctx.state.auth.user.email }
    })
    router.get('/feed', koaAdapter.optionalAuth(gate), (ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthContext | undefined>()
      // @ts-expect-error behind optionalAuth the caller may be anonymous
      ctx.body = { owner: ctx.state.auth.user.email }
    })
    router.get('/open', (ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthContext | undefined>()
    })
    const app = new Koa()
    app.use(koaAdapter.requireAuth(gate)).use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthContext>()
    })
    // A host may still call the middleware by hand with any context.
    app.use((ctx, next) => koaAdapter.requireAuth(gate)(ctx, next))
  })
})
