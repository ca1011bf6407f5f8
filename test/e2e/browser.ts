import type { FakeKratos } from '@session-keeper/fake-kratos'
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'

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

/** Options of {@link setupChromium}: what differs between the e2e files. */
export interface SetupChromiumOptions {
  /** Options of each test's browser context, e.g. `{ viewport: { width: 1100, height: 720 } }`. */
  contextOptions?: BrowserContextOptions
  /**
   * Whether each test starts with one page open in its context (`page`); default `true`. Without
   * it, the tests open their own pages (tabs) with `context.newPage()`.
   */
  openPage?: boolean
  /**
   * More per-context setup, run on each test's fresh context before its page opens: record
   * requests, collect console errors into {@link Chromium.pageErrors}, and so on.
   */
  setup?: (context: BrowserContext) => void | Promise<void>
}

/** What {@link setupChromium} returns: getters for the current test's browser objects. */
export interface Chromium {
  /** The file's browser, launched once in `beforeAll`. */
  readonly browser: Browser
  /** The current test's fresh browser context (no cookies, empty storage). */
  readonly context: BrowserContext
  /** The current test's page; throws with `openPage: false`. */
  readonly page: Page
  /**
   * Uncaught exceptions (`pageerror`) of every page of the current test's context, popups
   * included, as `<page URL>: <message>`; each test must end with none.
   */
  readonly pageErrors: string[]
}

/** How long a Playwright action or navigation may wait: its message (which selector, which URL) well before vitest's 30 s. */
const ACTION_TIMEOUT = 10_000

/**
 * Registers the e2e files' browser lifecycle in vitest hooks, at a file's top level or in a
 * `describe`: the system Chromium launched in `beforeAll` and closed in `afterAll`; before each
 * test a fresh browser context (Playwright's default timeout 10 s, uncaught page errors collected,
 * then `setup`) and one page in it; after each test the context closed and
 * `expect(pageErrors).toEqual([])`.
 *
 * With vitest's default `sequence.hooks: 'stack'`, a `beforeEach` registered before this call runs
 * before the context is made, and an `afterEach` registered after it runs before the context is
 * closed (e.g. screenshots).
 *
 * @example
 * let servers: DemoServers
 * beforeAll(async () => {
 *   servers = await startCorePage()
 * })
 * afterAll(() => servers?.close())
 * beforeEach(() => servers.kratos.clearFaults())
 *
 * const chromium = setupChromium()
 *
 * it('shows the page', async () => {
 *   await chromium.page.goto(servers.appUrl)
 *   expect(await chromium.context.cookies()).toEqual([])
 * })
 */
export function setupChromium(options: SetupChromiumOptions = {}): Chromium {
  const { contextOptions, openPage = true, setup } = options
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let pageErrors: string[] = []

  beforeAll(async () => {
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
  })

  beforeEach(async () => {
    pageErrors = []
    context = undefined
    page = undefined
    context = await current('browser', browser).newContext(contextOptions)
    context.setDefaultTimeout(ACTION_TIMEOUT)
    context.on('page', (opened) =>
      opened.on('pageerror', (error) => pageErrors.push(`${opened.url()}: ${error.message}`)),
    )
    await setup?.(context)
    if (openPage) page = await context.newPage()
  })

  afterEach(async () => {
    await context?.close()
    expect(pageErrors).toEqual([])
  })

  return {
    get browser() {
      return current('browser', browser)
    },
    get context() {
      return current('context', context)
    },
    get page() {
      if (!openPage)
        throw new Error('setupChromium({ openPage: false }) opens no page: use context.newPage()')
      return current('page', page)
    },
    get pageErrors() {
      return pageErrors
    },
  }
}

/** `value`, or an error that says the hooks have not made it (yet). */
function current<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`no ${name}: setupChromium() makes it in its vitest hooks`)
  return value
}

/**
 * Signs `context` in without a login flow: a new session of `kratos` for `email`, its cookie set
 * on the fake's URL as a login sets it. Returns what the fake made (session and cookie).
 *
 * @example
 * const { session } = await signInContext(chromium.context, servers.kratos)
 */
export async function signInContext(
  context: BrowserContext,
  kratos: Pick<FakeKratos, 'url' | 'createSession'>,
  email = 'user@example.com',
) {
  const created = kratos.createSession(email)
  const [name = '', value = ''] = created.cookie.split(/=(.*)/s)
  await context.addCookies([{ name, value, url: kratos.url, httpOnly: true, sameSite: 'Lax' }])
  return created
}
