import type { RequestListener } from 'node:http'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { TEST_HOST } from '../support/bounded-clients.js'
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../support/chromium.js'
import { signUpOver } from '../support/delivery-apps.js'
import { createTestApp, frameworks, type Framework } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js'
import { reportUnavailable } from '../support/report-unavailable.js'

// A plain HTML login form in a real browser: what supertest cannot show is what Chromium sends
// (its Accept, Origin and Content-Type) and that it follows the 303 with the cookie it was given.

const email = 'jane@example.com'
const password = 'correct horse battery'
const STEP_TIMEOUT_MS = 8_000

if (!chromiumInstalled) reportUnavailable('Chromium', `${CHROMIUM_PATH} is missing`, 'CI installs it with apt-get (.ci/run).')

/** The host's login page, also its failure page: a form without script, showing `?error=`. */
function loginPage(url: URL): string {
  const error = url.searchParams.get('error')
  return `<!doctype html><title>Sign in</title>
<p id="error">${error === null ? '' : error.replace(/[^A-Z_]/g, '')}</p>
<form method="post" action="/auth/session">
  <input name="email" type="email"><input name="password" type="password"><button>Sign in</button>
</form>`
}

/** The example app with forms on login, plus the login page, on loopback with baseUrl on its port. */
async function serveExample(framework: Framework): Promise<{ baseUrl: string; server: LoopbackServer }> {
  const port = await findFreePort()
  const baseUrl = `http://${TEST_HOST}:${port}`
  const app = createTestApp(framework, { baseUrl, forms: { routes: { login: { successRedirect: '/api/projects', failureRedirect: '/login?from=form' } } } })
  await signUpOver(app, email, password)
  const listener: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl)
    if (req.method !== 'GET' || url.pathname !== '/login') return app.handler(req, res)
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(loginPage(url))
  }
  const server = await serveOnLoopback(listener, port)
  onTestFinished(() => server.close())
  return { baseUrl, server }
}

/** Fills the form in and submits it; answers the response of the page the browser ends on, after the 303. */
async function submitLogin(page: Page, typedPassword: string) {
  await page.locator('input[name=email]').fill(email)
  await page.locator('input[name=password]').fill(typedPassword)
  const landing = page.waitForResponse((response) => response.request().isNavigationRequest() && response.request().method() === 'GET' && response.status() !== 303)
  await page.getByRole('button', { name: 'Sign in' }).click()
  return landing
}

describe.skipIf(!chromiumInstalled).each(frameworks)('%s: a login form in headless Chromium', (framework) => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext()
    context.setDefaultTimeout(STEP_TIMEOUT_MS)
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS)
    onTestFinished(() => context.close())
    return { context, page: await context.newPage() }
  }

  it('lands on the success page, a guarded route that opens with the cookie the 303 set', async () => {
    const { baseUrl, server } = await serveExample(framework)
    const { context, page } = await newPage()
    await page.goto(`${baseUrl}/login`)
    const landing = await submitLogin(page, password)

    const post = server.requests.find((seen) => seen.method === 'POST' && seen.url === '/auth/session')
    expect(post?.headers).toMatchObject({ origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' })
    expect(post?.headers.accept).toMatch(/^text\/html/)

    expect(page.url()).toBe(`${baseUrl}/api/projects`)
    expect(landing.status()).toBe(200)
    expect(await landing.json()).toMatchObject({ owner: email })
    const cookie = (await context.cookies(baseUrl)).find((candidate) => candidate.name === 'gatehouse_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
  })

  it('lands on the failure page with ?error= after a wrong password, and holds no cookie', async () => {
    const { baseUrl } = await serveExample(framework)
    const { context, page } = await newPage()
    await page.goto(`${baseUrl}/login`)
    const landing = await submitLogin(page, 'wrong horse battery')
    expect(landing.status()).toBe(200)
    expect(page.url()).toBe(`${baseUrl}/login?from=form&error=INVALID_CREDENTIALS`)
    expect(await page.locator('#error').innerText()).toBe('INVALID_CREDENTIALS')
    expect(page.url()).not.toContain('jane')
    expect(await context.cookies(baseUrl)).toEqual([])
    const projects = await page.goto(`${baseUrl}/api/projects`)
    expect(projects?.status()).toBe(401)
  })
})
