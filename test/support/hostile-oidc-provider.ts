import { createHash, randomBytes } from 'node:crypto'
import { type IncomingMessage, type Server, createServer } from 'node:http'
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import { afterAll, beforeAll } from 'vitest'
import { TEST_HOST } from './bounded-clients.js'
import { findFreePort } from './free-port.js'

/** Which key signs the ID token: a published one, one nobody published, none at all, or the client secret. */
export type HostileSigner = 'k1' | 'k2' | 'rogue' | 'none' | 'client-secret'

export interface HostileIdToken {
  /** Claims over the defaults (iss, aud, sub, nonce, iat, exp, email); `undefined` removes one. */
  claims?: Record<string, unknown>
  /** Header fields over `{ alg, kid }`; `kid: undefined` leaves it out. */
  header?: Record<string, unknown>
  sign?: HostileSigner
}

/** What the provider does wrong; reset before each test. */
export interface HostileBehaviour {
  /** The issuer its discovery names. Default its own. */
  discoveryIssuer?: string
  /** authorization_response_iss_parameter_supported. Default true. */
  announceIss: boolean
  /** The `iss` of the authorization response. Default 'right'. */
  callbackIss: 'right' | 'wrong' | 'missing'
  /** Replaces the state of the authorization response. */
  callbackState?: string
  /** An error response instead of a code (`access_denied`). */
  authorizeError?: string
  idToken: HostileIdToken
  /** The keys its JWKS publishes. Default ['k1']. */
  publishedKeys: ('k1' | 'k2')[]
  /** Whether discovery names a userinfo endpoint. Default true. */
  userinfo: boolean
  /** The userinfo `sub`; default the ID token's. */
  userinfoSub?: string
}

export interface TokenRequestRecord {
  clientAuth: 'basic' | 'post' | 'private_key_jwt' | 'none'
  /** Whether the client assertion verified against the client's public key (private_key_jwt). */
  assertionValid: boolean
  pkceValid: boolean
}

export interface HostileProvider {
  issuer: string
  behaviour: HostileBehaviour
  reset(): void
  readonly tokenRequests: TokenRequestRecord[]
  readonly authorizeRequests: number
  readonly jwksRequests: number
  /** The clock it stamps `iat`/`exp` with (ms): set it to the app's. */
  now: () => number
  /** The public JWK of the client key for private_key_jwt, and the private one for gatehouse's options. */
  clientKey: { privateJwk: JWK; publicKey: CryptoKey }
  /** An ID token as its token endpoint would sign it now, for the ID-token route. */
  mintIdToken(token: HostileIdToken, nonce?: string): Promise<string>
  /** A back-channel logout token (typ logout+jwt, the logout event, a fresh jti) with `token`'s changes. */
  mintLogoutToken(token: HostileIdToken): Promise<string>
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
      if (text.length > 65_536) reject(new Error('body too large'))
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * An OpenID Provider of the test's own on loopback: it signs its tokens itself with jose and
 * breaks the rules the test tells it to, one negative case of the RP certification at a time.
 */
export async function startHostileProvider(options: { clientId: string; clientSecret: string; redirectUri: string }): Promise<HostileProvider> {
  const port = await findFreePort()
  const issuer = `http://${TEST_HOST}:${port}`
  const keys = {
    k1: await generateKeyPair('RS256', { extractable: true }),
    k2: await generateKeyPair('RS256', { extractable: true }),
    rogue: await generateKeyPair('RS256', { extractable: true }),
  }
  const clientPair = await generateKeyPair('ES256', { extractable: true })
  const clientKey = { privateJwk: { ...(await exportJWK(clientPair.privateKey)), alg: 'ES256', kid: 'client-1' }, publicKey: clientPair.publicKey }
  const defaults = (): HostileBehaviour => ({ announceIss: true, callbackIss: 'right', idToken: {}, publishedKeys: ['k1'], userinfo: true })
  const codes = new Map<string, { nonce: string; challenge: string }>()
  const tokenRequests: TokenRequestRecord[] = []
  let authorizeRequests = 0
  let jwksRequests = 0

  const hostile: HostileProvider = {
    issuer,
    behaviour: defaults(),
    reset() {
      hostile.behaviour = defaults()
      tokenRequests.length = 0
      authorizeRequests = 0
      jwksRequests = 0
    },
    get tokenRequests() {
      return tokenRequests
    },
    get authorizeRequests() {
      return authorizeRequests
    },
    get jwksRequests() {
      return jwksRequests
    },
    now: () => Date.now(),
    clientKey,
    mintIdToken(token, nonce) {
      const seconds = Math.floor(hostile.now() / 1000)
      const defaults = { iss: issuer, aud: options.clientId, sub: 'hostile-subject', iat: seconds, exp: seconds + 300, email: 'mallory@example.com', email_verified: true, sid: 'hostile-sid' }
      return mint({ ...token, claims: { ...defaults, ...(nonce === undefined ? {} : { nonce }), ...token.claims } })
    },
    mintLogoutToken(token) {
      const seconds = Math.floor(hostile.now() / 1000)
      const defaults = {
        iss: issuer,
        aud: options.clientId,
        sub: 'hostile-subject',
        iat: seconds,
        exp: seconds + 120,
        jti: randomBytes(12).toString('base64url'),
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      }
      return mint({ ...token, claims: { ...defaults, ...token.claims }, header: { typ: 'logout+jwt', ...token.header } })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }

  async function mint(token: HostileIdToken): Promise<string> {
      const claims: Record<string, unknown> = { ...token.claims }
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
      const sign = token.sign ?? 'k1'
      if (sign === 'none') return `${b64({ alg: 'none', ...token.header })}.${b64(claims)}.`
      if (sign === 'client-secret') {
        return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...token.header }).sign(new TextEncoder().encode(options.clientSecret))
      }
      const header: Record<string, unknown> = { alg: 'RS256', kid: sign === 'rogue' ? 'k1' : sign, ...token.header }
      if (header.kid === undefined) delete header.kid
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(keys[sign].privateKey)
  }

  async function readClientAuth(req: IncomingMessage, form: URLSearchParams): Promise<Pick<TokenRequestRecord, 'clientAuth' | 'assertionValid'>> {
    const authorization = req.headers.authorization ?? ''
    if (authorization.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString().split(':').map((part) => decodeURIComponent(part.replaceAll('+', ' ')))
      return { clientAuth: 'basic', assertionValid: id === options.clientId && secret === options.clientSecret }
    }
    if (form.has('client_secret')) return { clientAuth: 'post', assertionValid: form.get('client_secret') === options.clientSecret }
    const assertion = form.get('client_assertion')
    if (assertion === null) return { clientAuth: 'none', assertionValid: false }
    try {
      await jwtVerify(assertion, clientKey.publicKey, { issuer: options.clientId, subject: options.clientId, audience: [issuer, `${issuer}/token`] })
      return { clientAuth: 'private_key_jwt', assertionValid: true }
    } catch {
      return { clientAuth: 'private_key_jwt', assertionValid: false }
    }
  }

  async function answer(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const url = new URL(req.url ?? '/', issuer)
    const behaviour = hostile.behaviour
    if (url.pathname === '/.well-known/openid-configuration') {
      return {
        status: 200,
        body: {
          issuer: behaviour.discoveryIssuer ?? issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          ...(behaviour.userinfo ? { userinfo_endpoint: `${issuer}/userinfo` } : {}),
          response_types_supported: ['code'],
          id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: behaviour.announceIss,
        },
      }
    }
    if (url.pathname === '/jwks') {
      jwksRequests++
      const published = await Promise.all(behaviour.publishedKeys.map(async (kid) => ({ ...(await exportJWK(keys[kid].publicKey)), kid, alg: 'RS256', use: 'sig' })))
      return { status: 200, body: { keys: published } }
    }
    if (url.pathname === '/authorize') {
      authorizeRequests++
      const target = new URL(url.searchParams.get('redirect_uri') ?? options.redirectUri)
      const state = behaviour.callbackState ?? url.searchParams.get('state') ?? ''
      if (behaviour.authorizeError !== undefined) {
        target.searchParams.set('error', behaviour.authorizeError)
      } else {
        const code = randomBytes(16).toString('base64url')
        codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', challenge: url.searchParams.get('code_challenge') ?? '' })
        target.searchParams.set('code', code)
      }
      target.searchParams.set('state', state)
      if (behaviour.callbackIss !== 'missing') target.searchParams.set('iss', behaviour.callbackIss === 'right' ? issuer : 'https://evil.test')
      return { status: 302, headers: { location: target.href } }
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req))
      const grant = codes.get(form.get('code') ?? '')
      const verifier = form.get('code_verifier') ?? ''
      const pkceValid = grant !== undefined && createHash('sha256').update(verifier).digest('base64url') === grant.challenge
      tokenRequests.push({ ...(await readClientAuth(req, form)), pkceValid })
      if (grant === undefined || !pkceValid) return { status: 400, body: { error: 'invalid_grant' } }
      // Codes are used once here, too.
      codes.delete(form.get('code')!)
      const idToken = await hostile.mintIdToken(behaviour.idToken, grant.nonce)
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: { access_token: 'hostile-access-token', token_type: 'Bearer', expires_in: 300, id_token: idToken } }
    }
    if (url.pathname === '/userinfo') {
      const sub = behaviour.userinfoSub ?? String(behaviour.idToken.claims?.sub ?? 'hostile-subject')
      return { status: 200, body: { sub, email: 'mallory@example.com', email_verified: true, name: 'Mallory' } }
    }
    return { status: 404, body: { error: 'not_found' } }
  }

  const server: Server = createServer((req, res) => {
    answer(req).then(
      ({ status, headers, body }) => {
        res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers })
        res.end(body === undefined ? undefined : JSON.stringify(body))
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(error))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(port, TEST_HOST, resolve))
  return hostile
}

/**
 * Starts the hostile provider before the file's tests and closes it after them; `started` hands
 * it to the file's own variable (`useHostileProvider(options, (p) => (hostile = p))`).
 */
export function useHostileProvider(options: Parameters<typeof startHostileProvider>[0], started: (provider: HostileProvider) => void): void {
  let provider: HostileProvider | undefined
  beforeAll(async () => {
    provider = await startHostileProvider(options)
    started(provider)
  })
  afterAll(async () => {
    await provider?.close()
  })
}
