import type { RequestListener } from 'node:http'
import request from 'supertest'
import { createGatehouse, type Gatehouse, type GatehouseOptions, type OidcProviderOptions } from '../../src/index.js'
import { createFixedClock, type FixedClock } from '../../src/testing/index.js'
import { type Framework, fastHashing } from './example-apps.js'
import { mountHost } from './mount-host.js'

export const appOrigin = 'http://app.test'
export const clientId = 'gatehouse-app'
export const clientSecret = 'a client secret long enough for HS256 at the provider'

export function callbackUrlOf(provider = 'corp'): string {
  return `${appOrigin}/auth/oidc/${provider}/callback`
}

export interface OidcTestApp {
  handler: RequestListener
  gate: Gatehouse
  clock: FixedClock
  errors: string[]
  /** What gatehouse warned about (why it refused a provider's answer). */
  warnings: string[]
}

/**
 * A host with gatehouse at /auth, one OIDC provider 'corp' and GET /api/me behind requireAuth.
 * The clock is fixed at the real time, since providers sign with theirs.
 */
export function createOidcTestApp(
  framework: Framework,
  provider: Partial<OidcProviderOptions> & { issuer: string },
  overrides: Partial<GatehouseOptions> = {},
): OidcTestApp {
  const clock = createFixedClock(Date.now())
  const errors: string[] = []
  const warnings: string[] = []
  const gate = createGatehouse({
    baseUrl: appOrigin,
    clock,
    passwords: fastHashing,
    logger: { error: (message) => errors.push(message), warn: (message) => warnings.push(message) },
    oidc: {
      allowInsecureRequests: true,
      loginPage: '/login',
      providers: [{ id: 'corp', name: 'Corp SSO', clientId, clientSecret, ...provider }],
    },
    ...overrides,
  })
  return { handler: mountHost(framework, gate, { guarded: { '/api/me': {} } }), gate, clock, errors, warnings }
}

/** Every Set-Cookie line of an answer. */
export function setCookieLines(setCookie: string[] | string | undefined): string[] {
  return Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]
}

/** The name=value pair of a Set-Cookie line for `name`, if the answer set it to something. */
export function cookieOf(setCookie: string[] | string | undefined, name: string): string | undefined {
  const line = setCookieLines(setCookie).find((each) => each.startsWith(`${name}=`) && !each.startsWith(`${name}=;`))
  return line?.split(';', 1)[0]
}

/** Starts a sign-in at gatehouse: the provider URL to follow and the state cookie the browser got. */
export async function startSignIn(handler: RequestListener, query = '', provider = 'corp') {
  const res = await request(handler).get(`/auth/oidc/${provider}/login${query}`)
  if (res.status !== 302) throw new Error(`start answered ${res.status} ${JSON.stringify(res.body)}`)
  return { location: res.headers.location as string, stateCookie: cookieOf(res.headers['set-cookie'], 'gatehouse_oidc'), res }
}

/** The callback as the browser opens it: path and query of `callbackUrl`, with its cookies. */
export function openCallback(handler: RequestListener, callbackUrl: URL, cookies: (string | undefined)[]) {
  const call = request(handler).get(callbackUrl.pathname + callbackUrl.search)
  const header = cookies.filter((each) => each !== undefined).join('; ')
  return header === '' ? call : call.set('Cookie', header)
}
