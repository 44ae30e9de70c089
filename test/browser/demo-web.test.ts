import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createApp } from '../../examples/express-app/app.js'
import { createDemoMailbox } from '../../examples/express-app/demo-web.js'
import { TEST_HOST } from '../support/bounded-clients.js'
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../support/chromium.js'
import { fastHashing } from '../support/example-apps.js'
import { findFreePort } from '../support/free-port.js'
import { serveOnLoopback } from '../support/loopback-server.js'
import { referenceTotpAt } from '../support/reference-totp.js'
import { reportUnavailable } from '../support/report-unavailable.js'

// The demo a newcomer opens with `npm run demo`, clicked through as a person would: every control
// found by its accessible name, every flow through gatehouse's real routes.

const email = 'newcomer@example.com'
const password = 'correct horse battery'
const newPassword = 'a brand new passphrase'
/** Bounds every browser wait, well inside the test timeout. */
const STEP_TIMEOUT_MS = 8_000
// The README's screenshots are taken by this run: `UPDATE_SCREENSHOTS=1` writes them to docs/, any
// other run to a temporary folder (so a test run leaves the checkout as it found it).
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'gatehouse-demo-'))}/`

if (!chromiumInstalled) reportUnavailable('Chromium', `${CHROMIUM_PATH} is missing`, 'CI installs it with apt-get (.ci/run).')

describe.runIf(chromiumInstalled)('the demo web app in Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  }, 30_000)
  afterAll(() => browser?.close())

  /** Passkeys need a host name (an IP address cannot be an rpId): localhost, still loopback. */
  async function serveDemo(host: string = TEST_HOST) {
    const port = await findFreePort()
    const baseUrl = `http://${host}:${port}`
    const mailbox = createDemoMailbox(() => {})
    const { app, gate } = createApp(
      { baseUrl, passwords: fastHashing, logger: { error: () => {}, warn: () => {} }, delivery: { email: mailbox }, passwordReset: { linkPath: '/reset.html' } },
      { mailbox },
    )
    const server = await serveOnLoopback(app, port)
    onTestFinished(() => server.close())
    return { baseUrl, gate }
  }

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 760, height: 900 } })
    onTestFinished(() => context.close())
    const page = await context.newPage()
    page.setDefaultTimeout(STEP_TIMEOUT_MS)
    return page
  }

  /** A page with a CDP virtual authenticator: a platform authenticator that keeps discoverable credentials and verifies its user. */
  async function openPageWithAuthenticator(): Promise<Page> {
    const page = await openPage()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    })
    return page
  }

  const status = (page: Page) => page.getByRole('status')

  async function fillCredentials(page: Page, secret: string) {
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(secret)
  }

  async function openMailedLink(page: Page, baseUrl: string, subjectWords: RegExp) {
    await page.goto(`${baseUrl}/mailbox.html`)
    const mail = page.getByRole('listitem').filter({ hasText: subjectWords }).first()
    await mail.getByRole('link').click()
  }

  it('sign up, tokens, sessions, password reset, magic link, two-factor, log out and the second-factor step', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const { baseUrl, gate } = await serveDemo()
    const page = await openPage()
    await page.goto(baseUrl)

    await fillCredentials(page, password)
    await page.getByRole('button', { name: 'Sign up' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('Welcome')
    await page.getByText(`Signed in as ${email}`).waitFor()

    // API tokens: created, shown once, listed, revoked.
    await page.getByLabel('Token name').fill('ci')
    await page.getByRole('button', { name: 'Create token' }).click()
    // The token is written when the response arrives, after the click resolves.
    await page.locator('#new-token').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
    const shown = (await page.locator('#new-token code').textContent())!
    expect(shown).toMatch(/^ghp_/)
    await page.getByRole('button', { name: 'Revoke ci' }).click()
    await page.getByRole('list', { name: 'API tokens' }).getByRole('listitem').waitFor({ state: 'detached' })
    const user = (await gate.storage.users.getByEmail(email))!
    expect(await gate.storage.tokens.listByUser(user.id)).toEqual([])

    // Sessions: a second browser signs in; the first lists it and revokes it.
    const other = await openPage()
    await other.goto(baseUrl)
    await fillCredentials(other, password)
    await other.getByRole('button', { name: 'Log in' }).click()
    await other.getByText(`Signed in as ${email}`).waitFor()
    await page.reload()
    await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: 'Revoke' }).waitFor({ state: 'detached' })
    await other.reload()
    await other.getByRole('button', { name: 'Log in' }).waitFor()

    // Password reset from the mailbox: the new password works, the old one does not. It is the first
    // proof of the mailbox, which is why it comes before two-factor (a first proof without a session
    // resets what the signer-up set: see secureProvenMailbox).
    await page.getByRole('button', { name: 'Log out' }).first().click()
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Forgot password' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('mailbox')
    await gate.delivery.drain()
    await page.goto(`${baseUrl}/mailbox.html`)
    await page.screenshot({ path: `${SCREENSHOTS}demo-mailbox.png` })
    await openMailedLink(page, baseUrl, /password/i)
    await page.getByLabel('New password').fill(newPassword)
    await page.getByRole('button', { name: 'Set password' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('Password changed')
    await page.goto(baseUrl)
    await fillCredentials(page, password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('wrong')

    // A magic link from the mailbox: confirm page, then back on the demo, signed in.
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('mailbox')
    await gate.delivery.drain()
    await openMailedLink(page, baseUrl, /sign/i)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText(`Signed in as ${email}`).waitFor()
    await expect.poll(() => page.locator('#factors').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('magic_link')

    // Two-factor: QR code and secret, a code from the "app", recovery codes shown once.
    await page.getByRole('button', { name: 'Enable two-factor' }).click()
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg').waitFor()
    const secret = (await page.locator('#totp-secret').textContent())!
    await page.getByLabel('Code from the app').fill(referenceTotpAt(secret, Date.now()))
    await page.getByRole('button', { name: 'Confirm' }).click()
    const recoveryCodes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
    await recoveryCodes.nth(9).waitFor({ timeout: STEP_TIMEOUT_MS })
    const codes = await recoveryCodes.allTextContents()
    expect(codes).toHaveLength(10)
    await page.getByText('Two-factor authentication is on.', { exact: true }).waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}demo-account.png` })

    // Log out, log in again with the new password: the second-factor step, completed with a recovery code.
    await page.getByRole('button', { name: 'Log out' }).first().click()
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}demo-sign-in.png` })
    await fillCredentials(page, newPassword)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'Second factor' }).waitFor()
    await page.getByLabel('Method').selectOption('recovery_code')
    await page.getByLabel('Code', { exact: true }).fill(codes[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByText(`Signed in as ${email}`).waitFor()
    await expect.poll(() => page.locator('#factors').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('password + recovery_code')
  }, 90_000)

  it('passkeys: add one, log out, sign in with it without a password, remove it', async () => {
    const { baseUrl, gate } = await serveDemo('localhost')
    const page = await openPageWithAuthenticator()
    await page.goto(baseUrl)
    await fillCredentials(page, password)
    await page.getByRole('button', { name: 'Sign up' }).click()
    await page.getByText(`Signed in as ${email}`).waitFor()

    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await expect.poll(() => status(page).textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('Passkey added')
    await page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem').waitFor()

    await page.getByRole('button', { name: 'Log out' }).first().click()
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByText(`Signed in as ${email}`).waitFor()
    await expect.poll(() => page.locator('#factors').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('signed in with passkey')

    // The password remains, so the passkey may go.
    await page.getByRole('list', { name: 'Passkeys' }).getByRole('button', { name: /^Remove / }).click()
    await page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem').waitFor({ state: 'detached' })
    const user = (await gate.storage.users.getByEmail(email))!
    expect((await gate.storage.factors.listByUser(user.id)).filter((factor) => factor.kind === 'passkey')).toEqual([])
  }, 60_000)
})
