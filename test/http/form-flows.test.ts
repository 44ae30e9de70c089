import type { RequestListener } from 'node:http'
import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import { ConfigError, createGatehouse, type Gatehouse, type GatehouseOptions } from '../../src/index.js'
import { prefersHtmlToJson } from '../../src/http/accept-preference.js'
import { type DeliveryTestApp, createDeliveryTestApp, linkIn, signUpOver, stableHeaders } from '../support/delivery-apps.js'
import { type Framework, fastHashing, frameworks, sessionCookieOf } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'
const origin = 'http://app.test'
/** What Chromium sends when a page's <form method=post> is submitted. */
const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'

const forms: GatehouseOptions['forms'] = {
  successRedirect: '/app',
  failureRedirect: '/login?next=%2Fapp#form',
  routes: {
    magicLinkSend: { successRedirect: '/check-your-mail' },
    passwordResetRequest: { successRedirect: '/check-your-mail', failureRedirect: '/forgot' },
    passwordResetComplete: { successRedirect: '/login?reset=1', failureRedirect: '/forgot' },
  },
}

/** The failure page's URL as the client sees it, for `error`. */
function failureOf(location: string | undefined): URL {
  expect(location).toBeDefined()
  return new URL(location!)
}

function sessionCookies(setCookie: string[] | string | undefined): string[] {
  return (Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]).filter((line) => line.startsWith('gatehouse_session=') && !line.startsWith('gatehouse_session=;'))
}

/** A Passport-style host that parses form bodies itself before gatehouse (express.urlencoded; on Koa a stand-in for a body parser). */
function hostParsingForms(framework: Framework, gate: Gatehouse): RequestListener {
  if (framework === 'express') {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    app.use('/auth', expressAdapter.authRoutes(gate))
    return app
  }
  const app = new Koa()
  app.use(async (ctx, next) => {
    let text = ''
    if (ctx.is('application/x-www-form-urlencoded')) for await (const chunk of ctx.req) text += String(chunk)
    ;(ctx.request as { body?: unknown }).body = Object.fromEntries(new URLSearchParams(text))
    await next()
  })
  app.use(koaAdapter.authRoutes(gate))
  return app.callback()
}

describe.each(frameworks)('%s: browser form posts', (framework) => {
  const app = (overrides: Partial<GatehouseOptions> = {}) => createDeliveryTestApp(framework, { forms, ...overrides })
  /** A form post from a page of baseUrl's origin, as a browser sends it. */
  const formPost = (served: DeliveryTestApp, path: string, fields: Record<string, string>) =>
    request(served.handler).post(path).type('form').set('Accept', browserAccept).set('Origin', origin).send(fields)
  const projectsWith = (served: DeliveryTestApp, cookie: string) => request(served.handler).get('/api/projects').set('Cookie', cookie)

  it('login: 303 to the success page with a session cookie that opens a guarded route', async () => {
    const served = app()
    await signUpOver(served, email, password)
    const res = await formPost(served, '/auth/session', { email, password })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/app')
    expect(res.headers['cache-control']).toBe('no-store')
    const projects = await projectsWith(served, sessionCookieOf(res.headers['set-cookie']))
    expect(projects.status).toBe(200)
    expect(projects.body.owner).toBe(email)
  })

  it('login: a wrong password or an unknown account is a 303 to the failure page with ?error=, the same for both, and no cookie', async () => {
    const served = app()
    await signUpOver(served, email, password)
    const wrong = await formPost(served, '/auth/session', { email, password: 'wrong horse battery' })
    const unknown = await formPost(served, '/auth/session', { email: 'nobody@example.com', password })
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(303)
      // The page's own query and fragment stay; nothing the user typed comes along.
      expect(res.headers.location).toBe('http://app.test/login?next=%2Fapp&error=INVALID_CREDENTIALS#form')
      expect(sessionCookies(res.headers['set-cookie'])).toEqual([])
    }
    expect(stableHeaders(wrong.headers)).toEqual(stableHeaders(unknown.headers))
    const missing = await formPost(served, '/auth/session', { email })
    expect(failureOf(missing.headers.location).searchParams.get('error')).toBe('INVALID_REQUEST')
  })

  it('login: a throttled account is a failure redirect with error=RATE_LIMITED and Retry-After, as JSON answers 429', async () => {
    const served = app({ rateLimits: { loginPerAccount: { max: 2, windowSeconds: 900 } } })
    await signUpOver(served, email, password)
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(failureOf((await formPost(served, '/auth/session', { email, password: 'wrong horse battery' })).headers.location).searchParams.get('error')).toBe('INVALID_CREDENTIALS')
    }
    const throttled = await formPost(served, '/auth/session', { email, password })
    expect(throttled.status).toBe(303)
    expect(failureOf(throttled.headers.location).searchParams.get('error')).toBe('RATE_LIMITED')
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0)
    expect(sessionCookies(throttled.headers['set-cookie'])).toEqual([])
    expect((await request(served.handler).post('/auth/session').send({ email, password })).status).toBe(429)
  })

  it('login: a user with a second factor lands on secondFactor.page with the success page as returnTo, holding a pending session', async () => {
    const served = app({ secondFactor: { page: '/two-step' } })
    const { body } = await request(served.handler).post('/auth/signup').send({ email, password })
    await served.gate.secondFactor.setSecondaryPassword({ userId: body.user.id, password: 'another pass phrase' })
    const res = await formPost(served, '/auth/session', { email, password })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe(`http://app.test/two-step?returnTo=${encodeURIComponent('http://app.test/app')}`)
    const cookie = sessionCookieOf(res.headers['set-cookie'])
    const projects = await projectsWith(served, cookie)
    expect(projects.status).toBe(403)
    expect(projects.body.error.code).toBe('SECOND_FACTOR_REQUIRED')
    const verified = await request(served.handler).post('/auth/session/second-factor').set('Cookie', cookie).set('Origin', origin).send({ method: 'secondary_password', code: 'another pass phrase' })
    expect(verified.status).toBe(200)
  })

  it('signup: 303 to the success page with a session cookie; a taken e-mail and a weak password are failure redirects', async () => {
    const served = app()
    const res = await formPost(served, '/auth/signup', { email, password, name: 'Jane' })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('http://app.test/app')
    expect((await projectsWith(served, sessionCookieOf(res.headers['set-cookie']))).status).toBe(200)

    const taken = await formPost(served, '/auth/signup', { email, password })
    expect(taken.status).toBe(303)
    expect(failureOf(taken.headers.location).searchParams.get('error')).toBe('CONFLICT')
    expect(sessionCookies(taken.headers['set-cookie'])).toEqual([])
    const weak = await formPost(served, '/auth/signup', { email: 'ada@example.com', password: 'short' })
    expect(failureOf(weak.headers.location).searchParams.get('error')).toBe('WEAK_PASSWORD')
    expect(weak.headers.location).not.toContain('ada')
  })

  it('magicLinkSend: 303 to the "sent" page whether or not the account exists; a bad redirectTo is a failure redirect', async () => {
    const served = app()
    await signUpOver(served, email, password)
    const known = await formPost(served, '/auth/magic-link', { email, redirectTo: '/app' })
    const unknown = await formPost(served, '/auth/magic-link', { email: 'nobody@example.com' })
    for (const res of [known, unknown]) {
      expect(res.status).toBe(303)
      expect(res.headers.location).toBe('http://app.test/check-your-mail')
    }
    expect(stableHeaders(known.headers)).toEqual(stableHeaders(unknown.headers))
    await served.gate.delivery.drain()
    expect(linkIn(served.mailer.last(email)?.text).pathname).toBe('/auth/magic-link/verify')
    expect(served.mailer.last('nobody@example.com')).toBeUndefined()

    const evil = await formPost(served, '/auth/magic-link', { email, redirectTo: '//evil.test' })
    expect(evil.status).toBe(303)
    expect(evil.headers.location).toBe('http://app.test/login?next=%2Fapp&error=INVALID_REDIRECT#form')
  })

  it('magicLinkSend: the per-address limit is a failure redirect with error=RATE_LIMITED', async () => {
    const served = app({ magicLinks: { rateLimits: { perAddress: { max: 1, windowSeconds: 3600 } } } })
    expect((await formPost(served, '/auth/magic-link', { email })).headers.location).toBe('http://app.test/check-your-mail')
    const throttled = await formPost(served, '/auth/magic-link', { email })
    expect(failureOf(throttled.headers.location).searchParams.get('error')).toBe('RATE_LIMITED')
  })

  it('passwordResetRequest: 303 to the "sent" page for every address; an invalid e-mail is a failure redirect', async () => {
    const served = app()
    await signUpOver(served, email, password)
    const known = await formPost(served, '/auth/password-reset', { email })
    const unknown = await formPost(served, '/auth/password-reset', { email: 'nobody@example.com' })
    for (const res of [known, unknown]) {
      expect(res.status).toBe(303)
      expect(res.headers.location).toBe('http://app.test/check-your-mail')
    }
    expect(stableHeaders(known.headers)).toEqual(stableHeaders(unknown.headers))
    await served.gate.delivery.drain()
    expect(served.mailer.last(email)?.kind).toBe('password_reset')

    const invalid = await formPost(served, '/auth/password-reset', { email: 'not an address' })
    expect(invalid.status).toBe(303)
    expect(invalid.headers.location).toBe('http://app.test/forgot?error=INVALID_REQUEST')
  })

  it('passwordResetComplete: 303 to the success page and the new password works; a bad key or a weak password fails without the key in the URL', async () => {
    const served = app()
    await signUpOver(served, email, password)
    await formPost(served, '/auth/password-reset', { email })
    await served.gate.delivery.drain()
    const key = linkIn(served.mailer.last(email)?.text).searchParams.get('key')!

    const weak = await formPost(served, '/auth/password-reset/complete', { key, newPassword: 'short' })
    expect(weak.status).toBe(303)
    expect(weak.headers.location).toBe('http://app.test/forgot?error=WEAK_PASSWORD')
    const wrongKey = await formPost(served, '/auth/password-reset/complete', { key: `${key}x`, newPassword: 'a brand new passphrase' })
    expect(wrongKey.headers.location).toBe('http://app.test/forgot?error=INVALID_TOKEN')

    const done = await formPost(served, '/auth/password-reset/complete', { key, newPassword: 'a brand new passphrase' })
    expect(done.status).toBe(303)
    expect(done.headers.location).toBe('http://app.test/login?reset=1')
    expect(done.headers['referrer-policy']).toBe('no-referrer')
    expect((await request(served.handler).post('/auth/session').send({ email, password: 'a brand new passphrase' })).status).toBe(200)
    const reused = await formPost(served, '/auth/password-reset/complete', { key, newPassword: 'yet another passphrase' })
    expect(reused.headers.location).toBe('http://app.test/forgot?error=INVALID_TOKEN')
  })

  it('keeps JSON for programs: a JSON body, fetch or XHR with a form body, and curl get what they got before', async () => {
    const served = app()
    const json = await request(served.handler).post('/auth/signup').set('Accept', browserAccept).set('Origin', origin).send({ email, password })
    expect(json.status).toBe(201)
    expect(json.body.user.email).toBe(email)
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/plain, */*', 'text/html;q=0.5, application/json', 'text/html, application/json']) {
      const post = request(served.handler).post('/auth/session').type('form').set('Origin', origin)
      const res = await (accept === undefined ? post : post.set('Accept', accept)).send({ email, password })
      expect(res.status, accept).toBe(200)
      expect(res.body.user.email).toBe(email)
      const failed = await (accept === undefined ? request(served.handler).post('/auth/session').type('form') : request(served.handler).post('/auth/session').type('form').set('Accept', accept)).send({ email, password: 'wrong horse battery' })
      expect(failed.status, accept).toBe(401)
      expect(failed.body.error.code).toBe('INVALID_CREDENTIALS')
    }
    const reset = await request(served.handler).post('/auth/password-reset').type('form').set('Accept', 'application/json').send({ email })
    expect(reset.status).toBe(202)
  })

  it('changes nothing when forms are not configured, or a route is opted out with false', async () => {
    const plain = createDeliveryTestApp(framework)
    const signup = await formPost(plain, '/auth/signup', { email, password })
    expect(signup.status).toBe(201)
    expect(signup.body.user.email).toBe(email)
    const failed = await formPost(plain, '/auth/session', { email, password: 'wrong horse battery' })
    expect(failed.status).toBe(401)
    expect(failed.body.error.code).toBe('INVALID_CREDENTIALS')

    const optedOut = app({ forms: { ...forms, routes: { ...forms?.routes, signup: false } } })
    expect((await formPost(optedOut, '/auth/signup', { email, password })).status).toBe(201)
    expect((await formPost(optedOut, '/auth/session', { email, password })).status).toBe(303)
  })

  it('refuses a cross-site form post with 403 CSRF_REJECTED, not a redirect, and sets no cookie', async () => {
    const served = app()
    await signUpOver(served, email, password)
    const crossOrigin = await request(served.handler).post('/auth/session').type('form').set('Accept', browserAccept).set('Origin', 'http://evil.test').send({ email, password })
    const crossSite = await request(served.handler).post('/auth/session').type('form').set('Accept', browserAccept).set('Sec-Fetch-Site', 'cross-site').send({ email, password })
    for (const res of [crossOrigin, crossSite]) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('CSRF_REJECTED')
      expect(res.headers.location).toBeUndefined()
      expect(sessionCookies(res.headers['set-cookie'])).toEqual([])
    }
    const sameOrigin = await request(served.handler).post('/auth/session').type('form').set('Accept', browserAccept).set('Origin', origin).set('Sec-Fetch-Site', 'same-origin').send({ email, password })
    expect(sameOrigin.status).toBe(303)
  })

  it('uses a form body the host already parsed', async () => {
    const gate = createGatehouse({ baseUrl: origin, passwords: fastHashing, forms })
    const host = hostParsingForms(framework, gate)
    const post = (path: string, fields: Record<string, string>) => request(host).post(path).type('form').set('Accept', browserAccept).set('Origin', origin).send(fields)
    expect((await post('/auth/signup', { email, password })).headers.location).toBe('http://app.test/app')
    expect((await post('/auth/session', { email, password })).headers.location).toBe('http://app.test/app')
    expect((await post('/auth/session', { email, password: 'wrong horse battery' })).headers.location).toBe('http://app.test/login?next=%2Fapp&error=INVALID_CREDENTIALS#form')
  })

  it('may land on a trusted origin (a front end of its own) given as an absolute URL', async () => {
    const served = app({ trustedOrigins: ['https://web.test'], forms: { successRedirect: 'https://web.test/home', failureRedirect: 'https://web.test/login?x=1' } })
    await signUpOver(served, email, password)
    const fromFront = (fields: Record<string, string>) =>
      request(served.handler).post('/auth/session').type('form').set('Accept', browserAccept).set('Origin', 'https://web.test').send(fields)
    expect((await fromFront({ email, password })).headers.location).toBe('https://web.test/home')
    expect((await fromFront({ email, password: 'wrong horse battery' })).headers.location).toBe('https://web.test/login?x=1&error=INVALID_CREDENTIALS')
  })
})

describe('forms options', () => {
  const create = (options: Partial<GatehouseOptions>) => () => createGatehouse({ baseUrl: 'https://app.test', ...options })
  const problemsOf = (options: Partial<GatehouseOptions>): string[] => {
    try {
      create(options)()
    } catch (error) {
      if (error instanceof ConfigError) return error.problems
      throw error
    }
    return []
  }

  it('refuses a target that could leave baseUrl and trustedOrigins, naming where it was set', () => {
    expect(problemsOf({ forms: { successRedirect: '//evil.test', failureRedirect: '/login' } })).toEqual([
      "forms.successRedirect: must be a path starting with a single '/', or a URL on baseUrl's origin or one of trustedOrigins",
    ])
    for (const target of ['https://evil.test/x', 'javascript:alert(1)', 'login', '/\\evil.test', 'https://user:pw@app.test/']) {
      const problems = problemsOf({ forms: { routes: { login: { successRedirect: '/app', failureRedirect: target } } } })
      expect(problems, target).toEqual([expect.stringMatching(/^forms\.routes\.login\.failureRedirect: must be a path/)])
    }
    expect(problemsOf({ trustedOrigins: ['https://web.test'], forms: { successRedirect: 'https://web.test/', failureRedirect: 'https://app.test/login' } })).toEqual([])
  })

  it('refuses a route given only one of its two pages, unknown routes and unknown fields', () => {
    expect(problemsOf({ forms: { failureRedirect: '/login', routes: { login: { successRedirect: '/app' } } } })).toEqual(
      ['signup', 'magicLinkSend', 'passwordResetRequest', 'passwordResetComplete'].map((name) => expect.stringMatching(new RegExp(`^forms\\.routes\\.${name}: needs a successRedirect too`))),
    )
    expect(problemsOf({ forms: { routes: { login: { successRedirect: '/app', failureRedirect: '/login' } } } })).toEqual([])
    expect(problemsOf({ forms: { routes: { logout: { successRedirect: '/' } } } as never })).toEqual([expect.stringContaining('forms.routes')])
    expect(problemsOf({ forms: { successPage: '/' } as never })).toEqual([expect.stringContaining('forms')])
    expect(create({ forms: { successRedirect: 42 } as never })).toThrow(ConfigError)
  })
})

describe('prefersHtmlToJson', () => {
  it.each([
    [browserAccept, true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html', true],
    ['text/*, application/json;q=0.5', true],
    [null, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/plain, */*', false],
    ['text/html, application/json', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0, */*', false],
    ['text/html;q=oops', false],
  ])('%j -> %s', (accept, expected) => {
    expect(prefersHtmlToJson(accept)).toBe(expected)
  })
})
