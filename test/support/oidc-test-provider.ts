import { type Server, createServer } from 'node:http'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type ClientMetadata } from 'oidc-provider'
import { TEST_HOST } from './bounded-clients.js'
import { findFreePort } from './free-port.js'

export interface TestAccount {
  email?: string
  emailVerified?: boolean
  name?: string
}

export interface TestOpenIdProvider {
  issuer: string
  provider: Provider
  /** Accounts by subject; add to it before a sign-in. */
  accounts: Map<string, TestAccount>
  /** The subject the next interaction signs in as (the provider's login page, answered at once). */
  signInAs(subject: string): void
  /** Token endpoint requests so far. */
  readonly tokenRequests: number
  close(): Promise<void>
}

/**
 * A real OpenID Provider (`oidc-provider`) on loopback with one confidential client, automatic
 * login as the chosen subject and automatic consent. Only the browser's side is played by tests.
 */
export async function startTestOpenIdProvider(client: ClientMetadata, options: { backchannelLogout?: boolean } = {}): Promise<TestOpenIdProvider> {
  const port = await findFreePort()
  const issuer = `http://${TEST_HOST}:${port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const accounts = new Map<string, TestAccount>()
  let subject = 'alice'
  let tokenRequests = 0
  const provider = new Provider(issuer, {
    clients: [client],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['test-cookie-key'] },
    // Its outgoing requests (back-channel logout) go to gatehouse on loopback, which its SSRF guard refuses.
    fetch: (url, init) => {
      const { dispatcher: _dispatcher, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown }
      return fetch(url, rest)
    },
    features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: options.backchannelLogout ?? false } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => {
        const account = accounts.get(sub) ?? {}
        return {
          sub,
          ...(account.email === undefined ? {} : { email: account.email, email_verified: account.emailVerified ?? false }),
          ...(account.name === undefined ? {} : { name: account.name }),
        }
      },
    }),
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! })
      grant.addOIDCScope(String(ctx.oidc.params!.scope))
      await grant.save()
      return grant
    },
  })
  provider.on('grant.success', () => {
    tokenRequests++
  })
  provider.on('grant.error', () => {
    tokenRequests++
  })
  const callback = provider.callback()
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void provider.interactionFinished(req, res, { login: { accountId: subject } }, { mergeWithLastSubmission: false })
      return
    }
    callback(req, res)
  })
  await new Promise<void>((resolve) => server.listen(port, TEST_HOST, resolve))
  return {
    issuer,
    provider,
    accounts,
    signInAs(next) {
      subject = next
    },
    get tokenRequests() {
      return tokenRequests
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Plays the browser at the provider: follows its redirects (with its cookies) from the
 * authorization URL until one leads to `redirectUri`, and answers that URL. Bounded in steps.
 * Pass a `jar` to keep the provider's cookies (its session) for a later step.
 */
export async function followProviderRedirects(authorizationUrl: string, redirectUri: string, jar = new Map<string, string>()): Promise<URL> {
  let url = authorizationUrl
  for (let step = 0; step < 10; step++) {
    if (url.startsWith(redirectUri)) return new URL(url)
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';', 1)
      const index = pair!.indexOf('=')
      jar.set(pair!.slice(0, index), pair!.slice(index + 1))
    }
    const location = response.headers.get('location')
    await response.arrayBuffer()
    if (location === null) throw new Error(`the provider answered ${response.status} without a redirect at ${url}`)
    url = new URL(location, url).href
  }
  throw new Error('too many redirects at the provider')
}
