import type { RequestListener } from 'node:http'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { GatehouseOptions } from '../../src/index.js'
import { TEST_HOST } from '../support/bounded-clients.js'
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../support/chromium.js'
import { createDeliveryTestApp, linkIn, signUpOver } from '../support/delivery-apps.js'
import { frameworks, type Framework } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { type LoopbackServer, serveOnLoopback } from '../support/loopback-server.js'
import { reportUnavailable } from '../support/report-unavailable.js'

// Every HTML page gatehouse serves, in a real browser: what supertest cannot show is what the
// browser adds (Origin: null under no-referrer, Sec-Fetch-Site) and what it enforces (the CSP).

const email = 'jane@example.com'
const password = 'correct horse battery'
/** Bounds every browser wait, well inside vitest's test timeout. */
const STEP_TIMEOUT_MS = 8_000

if (!chromiumInstalled) reportUnavailable('Chromium', `${CHROMIUM_PATH} is missing`, 'CI installs it with apt-get (.ci/run).')

/** `listener` on TEST_HOST:`port` for this test only: closed when the test ends. */
async function serveForTest(listener: RequestListener, port: number): Promise<LoopbackServer> {
  const server = await serveOnLoopback(listener, port)
  onTestFinished(() => server.close())
  return server
}

/** The example app served on loopback, with baseUrl on the port it listens on so that Origin checks match. */
async function serveExample(framework: Framework, overrides: Partial<GatehouseOptions> = {}) {
  const port = await findFreePort()
  const baseUrl = `http://${TEST_HOST}:${port}`
  const app = createDeliveryTestApp(framework, { baseUrl, ...overrides })
  return { app, baseUrl, server: await serveForTest(app.handler, port) }
}

/** Signs up and asks for a link over HTTP; answers the mailed link. */
async function mailedLink(served: Awaited<ReturnType<typeof serveExample>>, redirectTo: string): Promise<URL> {
  await signUpOver(served.app, email, password)
  const sent = await request(served.baseUrl).post('/auth/magic-link').send({ email, redirectTo })
  expect(sent.status).toBe(202)
  await served.app.gate.delivery.drain()
  return linkIn(served.app.mailer.last(email)?.text)
}

/** A page that records what the browser refused under a Content Security Policy. */
async function openPage(context: BrowserContext): Promise<{ page: Page; refusals: string[] }> {
  const page = await context.newPage()
  const refusals: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text())
  })
  return { page, refusals }
}

/** Opens the confirm page at `link`, checks it, and presses its button; answers the document the browser ends on, after redirects. */
async function confirmIn(page: Page, link: URL) {
  const confirmPage = await page.goto(link.href)
  expect(confirmPage?.status()).toBe(200)
  expect(await page.locator('h1').innerText()).toContain(`Sign in to ${link.host}`)
  const landing = page.waitForResponse((response) => {
    const request = response.request()
    return request.isNavigationRequest() && request.frame() === page.mainFrame() && (response.status() < 300 || response.status() >= 400)
  })
  await page.getByRole('button', { name: 'Sign in' }).click()
  return landing
}

describe.skipIf(!chromiumInstalled).each(frameworks)('%s: magic-link pages in headless Chromium', (framework) => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext()
    context.setDefaultTimeout(STEP_TIMEOUT_MS)
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS)
    onTestFinished(() => context.close())
    return context
  }

  it('signs in from the confirm page: the button lands on the redirect target with a session cookie', async () => {
    const served = await serveExample(framework)
    const link = await mailedLink(served, '/api/projects?tab=1')
    const context = await newContext()
    const { page, refusals } = await openPage(context)
    const landing = await confirmIn(page, link)

    // What made this fail before: the page's no-referrer policy turns the form's Origin into "null".
    const post = served.server.requests.find((seen) => seen.method === 'POST' && seen.url.startsWith(link.pathname))
    expect(post?.headers).toMatchObject({ origin: 'null', 'sec-fetch-site': 'same-origin' })

    // The landing page is the guarded route, loaded with the browser's own cookie.
    expect(landing.status()).toBe(200)
    expect(page.url()).toBe(`${served.baseUrl}/api/projects?tab=1`)
    expect(await landing.json()).toMatchObject({ owner: email })
    const cookies = await context.cookies(served.baseUrl)
    expect(cookies.find((cookie) => cookie.name === 'gatehouse_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    expect(refusals).toEqual([])
  })

  it('shows the failed page for a used link, and sets no cookie', async () => {
    const served = await serveExample(framework)
    const link = await mailedLink(served, '/api/projects')
    const used = await request(served.baseUrl).post(`${link.pathname}${link.search}`).set('Accept', 'application/json').send({})
    expect(used.status).toBe(200)

    const context = await newContext()
    const { page, refusals } = await openPage(context)
    const failed = await confirmIn(page, link)
    expect(failed.status()).toBe(401)
    expect(failed.request().method()).toBe('POST')
    expect(await page.locator('h1').innerText()).toBe('This sign-in link does not work')
    expect(await context.cookies(served.baseUrl)).toEqual([])
    expect(refusals).toEqual([])
  })

  it('follows the sign-in redirect to an allow-listed origin (the page CSP lets the form go there)', async () => {
    const frontPort = await findFreePort()
    const frontOrigin = `http://${TEST_HOST}:${frontPort}`
    await serveForTest((_req, res) => res.end('front end'), frontPort)
    const served = await serveExample(framework, { magicLinks: { allowedRedirectOrigins: [frontOrigin] } })
    const link = await mailedLink(served, `${frontOrigin}/welcome`)
    const context = await newContext()
    const { page, refusals } = await openPage(context)
    const landing = await confirmIn(page, link)
    expect(landing.status()).toBe(200)
    expect(page.url()).toBe(`${frontOrigin}/welcome`)
    const cookie = (await context.cookies(served.baseUrl)).find((candidate) => candidate.name === 'gatehouse_session')
    const projects = await request(served.baseUrl).get('/api/projects').set('Cookie', `${cookie?.name}=${cookie?.value}`)
    expect(projects.status).toBe(200)
    expect(refusals).toEqual([])
  })
})
