import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium; .ci/run installs it. playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

export const chromiumInstalled = existsSync(CHROMIUM_PATH)

const LAUNCH_TIMEOUT_MS = 20_000

/** A headless Chromium that stays quiet on the network: no updates, sync or first-run traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: LAUNCH_TIMEOUT_MS,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}
