import { type Browser, chromium } from 'playwright-core'

/**
 * Flags for Debian's Chromium on this kind of machine (TOOLCHAIN.md): root needs `--no-sandbox`,
 * and the rest stop it from calling hosts it cannot reach. Playwright adds a fresh user data dir.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches the system Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`); never downloads one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}
