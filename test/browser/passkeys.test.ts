import type { RequestListener } from 'node:http'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../support/chromium.js'
import { type Framework, type TestApp, frameworks } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js'
import { reportUnavailable } from '../support/report-unavailable.js'
import { createSecondFactorApp } from '../support/second-factor-apps.js'

// Passkeys in a real browser against a CDP virtual authenticator: what the software authenticator
// cannot show is that Chromium's own navigator.credentials accepts the options the routes answer
// (rpId derived from baseUrl, a discoverable credential, attestation 'none') and that the routes
// accept what Chromium sends back.

const email = 'jane@example.com'
const password = 'correct horse battery'
const STEP_TIMEOUT_MS = 10_000

if (!chromiumInstalled) reportUnavailable('Chromium', `${CHROMIUM_PATH} is missing`, 'CI installs it with apt-get (.ci/run).')

/** A page with the two buttons and the script a site would write: options from the routes, the ceremony, the answer back. */
const testPage = `<!doctype html><title>Passkeys</title>
<button id="add">Add a passkey</button>
<button id="sign-in">Sign in with a passkey</button>
<output id="result"></output>
<script>
async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: res.status === 204 ? null : await res.json() }
}
window.signUp = (email, password) => post('/auth/signup', { email, password })
window.logOut = () => fetch('/auth/session', { method: 'DELETE' }).then((res) => res.status)
window.currentAuth = () => fetch('/auth/session').then(async (res) => ({ status: res.status, body: await res.json() }))
window.addPasskey = async (name) => {
  const options = await post('/auth/passkeys/register/options')
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.body) })
  return post('/auth/passkeys/register', { response: credential.toJSON(), name })
}
window.signInWithPasskey = async () => {
  const options = await post('/auth/passkeys/login/options')
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.body) })
  return { options: options.body, answer: await post('/auth/passkeys/login', { response: credential.toJSON() }) }
}
document.getElementById('add').onclick = () => addPasskey('Chromium').then((r) => { document.getElementById('result').textContent = 'added ' + r.status })
document.getElementById('sign-in').onclick = () => signInWithPasskey().then((r) => { document.getElementById('result').textContent = 'signed in ' + r.answer.status })
</script>`

/** What the test page's script puts on window. */
interface TestPage {
  signUp(email: string, password: string): Promise<{ status: number; body: any }>
  logOut(): Promise<number>
  currentAuth(): Promise<{ status: number; body: any }>
  addPasskey(name: string): Promise<{ status: number; body: any }>
  signInWithPasskey(): Promise<{ options: any; answer: { status: number; body: any } }>
}

/** A host on loopback whose baseUrl is http://localhost:port: an IP address cannot be an rpId, localhost can (and is a secure context). */
async function serveApp(framework: Framework): Promise<{ baseUrl: string; app: TestApp; server: LoopbackServer }> {
  const port = await findFreePort()
  const baseUrl = `http://localhost:${port}`
  const app = createSecondFactorApp(framework, { baseUrl })
  const listener: RequestListener = (req, res) => {
    if (req.method !== 'GET' || req.url !== '/passkeys') return app.handler(req, res)
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(testPage)
  }
  const server = await serveOnLoopback(listener, port)
  onTestFinished(() => server.close())
  return { baseUrl, app, server }
}

describe.skipIf(!chromiumInstalled).each(frameworks)('%s: passkeys in headless Chromium', (framework) => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function newPage(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await browser.newContext()
    context.setDefaultTimeout(STEP_TIMEOUT_MS)
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS)
    onTestFinished(() => context.close())
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    })
    return { context, page, cdp, authenticatorId }
  }

  it('adds a passkey, then signs in with it without a password', async () => {
    const { baseUrl } = await serveApp(framework)
    const { page, cdp, authenticatorId } = await newPage()
    await page.goto(`${baseUrl}/passkeys`)
    expect((await page.evaluate(([e, p]) => (globalThis as unknown as TestPage).signUp(e, p), [email, password] as const)).status).toBe(201)

    const added = await page.evaluate(() => (globalThis as unknown as TestPage).addPasskey('Chromium'))
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    expect(added.body).toMatchObject({ name: 'Chromium', transports: ['internal'] })
    // Chromium kept it as a discoverable credential for the rpId derived from baseUrl.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' })

    expect(await page.evaluate(() => (globalThis as unknown as TestPage).logOut())).toBe(204)
    expect((await page.evaluate(() => (globalThis as unknown as TestPage).currentAuth())).status).toBe(401)

    // Passwordless: no e-mail typed, no credential named (what conditional UI needs), user verification required.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await expect.poll(() => page.locator('#result').innerText(), { timeout: STEP_TIMEOUT_MS }).toBe('signed in 200')
    const current = await page.evaluate(() => (globalThis as unknown as TestPage).currentAuth())
    expect(current.status).toBe(200)
    expect(current.body.user.email).toBe(email)
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['passkey'])

    const again = await page.evaluate(() => (globalThis as unknown as TestPage).signInWithPasskey())
    expect(again.options).toMatchObject({ rpId: 'localhost', allowCredentials: [], userVerification: 'required' })
    expect(again.answer.status).toBe(200)
  })

  it('gives the second step of a password sign-in with the passkey', async () => {
    const { baseUrl } = await serveApp(framework)
    const { page } = await newPage()
    await page.goto(`${baseUrl}/passkeys`)
    await page.evaluate(([e, p]) => (globalThis as unknown as TestPage).signUp(e, p), [email, password] as const)
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await expect.poll(() => page.locator('#result').innerText(), { timeout: STEP_TIMEOUT_MS }).toBe('added 201')
    await page.evaluate(() => (globalThis as unknown as TestPage).logOut())

    const login = await page.evaluate(([e, p]) => fetch('/auth/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: e, password: p }) }).then((res) => res.json()), [email, password] as const)
    expect(login).toEqual({ pending: true, secondFactors: ['passkey'] })
    const step = await page.evaluate(() => (globalThis as unknown as TestPage).signInWithPasskey())
    expect(step.options.allowCredentials).toHaveLength(1)
    expect(step.answer.status).toBe(200)
    expect(step.answer.body.session.pendingSecondFactor).toBe(false)
    const current = await page.evaluate(() => (globalThis as unknown as TestPage).currentAuth())
    expect(current.body.factors.map((factor: { method: string }) => factor.method)).toEqual(['password', 'passkey'])
  })
})
