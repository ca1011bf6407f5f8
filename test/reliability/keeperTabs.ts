// Tabs of keeperPage.ts in real Chromium against fake-kratos, on one clock that only the test
// moves: `KeeperTime` is the keeper time of every tab and of the fake (its `now`). The page is
// bundled in memory and served from a Playwright route on the app's origin (no app server), so
// a tab opens, reloads or crashes in a few milliseconds. Used by leaderChaos.test.ts and
// faultSoak.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { SessionKeeperOptions } from '@session-keeper/core'
import type { FakeKratosOptions } from '@session-keeper/fake-kratos'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { build, defaultClientConditions, type Rolldown } from 'vite'
import { type FakeKratos, HOST, startPair } from '../e2e/servers.js'
import type { KeeperPageConfig, TabReport } from './keeperPage.js'

/** The one clock of a test: every tab's keeper and the fake read it; only the test moves it. */
export interface KeeperTime {
  now: number
}

/** keeperPage.ts as one script (bundled in memory, nothing written). */
export async function bundleKeeperPage(): Promise<string> {
  const entry = fileURLToPath(new URL('./keeperPage.ts', import.meta.url))
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'keeperPageBundle' } },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[]
  const first = Array.isArray(output) ? output[0] : output
  if (!first) throw new Error('vite built no bundle of keeperPage.ts')
  const code = first.output[0].code
  if (/<\/script/i.test(code))
    throw new Error('the bundle of keeperPage.ts cannot be inlined: it holds </script')
  return code
}

export interface KeeperServers {
  kratos: FakeKratos
  /** The tabs' origin, e.g. `http://localhost:41234`, served by a plain Node server. */
  appOrigin: string
  time: KeeperTime
  /** The keeper options every tab loaded from now on gets (the base URL is the fake's). */
  pageOptions: Omit<SessionKeeperOptions, 'baseUrl'>
  close(): Promise<void>
}

/**
 * fake-kratos on `time` (its `Date` headers, expiries and sessions follow it) and a server of
 * keeperPage.ts on another port of the same host: the page must come from a loopback address
 * for Chromium to let it call the fake (Local Network Access), so a Playwright route won't do.
 */
export async function startKeeperServers(
  script: string,
  extra: Partial<FakeKratosOptions> = {},
): Promise<KeeperServers> {
  const time: KeeperTime = { now: Date.parse('2026-01-01T00:00:00Z') }
  // The page reads the options when it is served: keeperTabs() sets them on the returned object.
  const options: Pick<KeeperServers, 'pageOptions'> = { pageOptions: {} }
  let kratosUrl = ''
  const page = (req: IncomingMessage, res: ServerResponse) => {
    // No favicon: a 404 would be a console error in the tab.
    if (req.url !== '/') return void res.writeHead(204).end()
    const config: KeeperPageConfig = {
      now: time.now,
      options: { ...options.pageOptions, baseUrl: kratosUrl },
    }
    // `<` escaped in the JSON (and refused in the bundle) so that nothing closes the script element.
    const inline = `window.keeperPageConfig = ${JSON.stringify(config).replace(/</g, '\\u003c')};\n${script}`
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><meta charset="utf-8"><title>keeper</title><script>${inline}</script>`)
  }
  const pair = await startPair(
    (appOrigin) => ({
      ...extra,
      host: HOST,
      port: 0,
      now: () => time.now,
      cors: { origins: [appOrigin], exposedHeaders: ['Content-Type', 'Date', 'Retry-After'] },
      allowedReturnUrls: [`${appOrigin}/`],
      defaultReturnUrl: `${appOrigin}/`,
    }),
    async (port, kratos) => {
      kratosUrl = kratos.url
      const server = createServer(page)
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, HOST, resolve))
      return {
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      }
    },
  )
  return Object.assign(options, { kratos: pair.kratos, appOrigin: pair.appOrigin, time, close: pair.close })
}

/** A tab and what the test knows of it. */
export interface Tab {
  page: Page
  /** A number for logs: the order tabs were opened in. */
  n: number
  /** Set when the renderer crashed (this tab's, or a shared one). */
  crashed: boolean
}

/** The tabs of one browser context, on the servers' shared clock. */
export interface KeeperTabs {
  readonly live: Tab[]
  open(): Promise<Tab>
  /** A reload as the user makes one (unload runs), at the current keeper time. */
  reload(tab: Tab): Promise<void>
  /** The tab closed as the user closes it (unload runs). */
  close(tab: Tab): Promise<void>
  /** The renderer killed (CDP `Page.crash`): no unload, no goodbye message. */
  crash(tab: Tab): Promise<void>
  /** Advances every live tab and the fake by `ms`, waits until no whoami is in flight, and returns the reports. */
  step(ms: number): Promise<Map<Tab, TabReport>>
  /** The live tabs reporting `isLeader`, without moving time. */
  leaders(): Promise<Tab[]>
  /** How long until the first timer of any live tab is due (keeper time): the next step worth taking. */
  untilNextTimer(): Promise<number>
  /** Waits (real time, at most `timeoutMs`) until exactly one live tab leads; false on timeout. */
  settle(timeoutMs?: number): Promise<boolean>
  /** Page errors, console errors and unhandled rejections of every tab, once the test is done with them. */
  finish(): Promise<string[]>
}

/**
 * The tabs of the page on `servers.appOrigin` in `context`; `options` are their keepers' (the
 * base URL is the fake's).
 */
export function keeperTabs(
  context: BrowserContext,
  servers: KeeperServers,
  options: Omit<SessionKeeperOptions, 'baseUrl'>,
): KeeperTabs {
  const { time } = servers
  const live: Tab[] = []
  const errors: string[] = []
  let opened = 0
  servers.pageOptions = options

  const alive = (tab: Tab) => !tab.crashed && !tab.page.isClosed()
  const drop = (tab: Tab) => {
    const i = live.indexOf(tab)
    if (i >= 0) live.splice(i, 1)
  }
  /** Calls into a tab; a tab that crashed meanwhile (a shared renderer) leaves the live set. */
  async function call<T>(tab: Tab, run: (page: Page) => Promise<T>): Promise<T | undefined> {
    if (!alive(tab)) return undefined
    try {
      return await run(tab.page)
    } catch (error) {
      if (alive(tab)) throw error
      drop(tab)
      return undefined
    }
  }

  async function open(): Promise<Tab> {
    const page = await context.newPage()
    const tab: Tab = { page, n: ++opened, crashed: false }
    page.on('crash', () => {
      tab.crashed = true
      drop(tab)
    })
    page.on('pageerror', (error) => errors.push(`tab ${tab.n}: ${error.message}`))
    page.on('console', (message) => {
      // Chromium logs every failed request itself ("Failed to load resource: ..."): that is the
      // browser's network log, not the page's; the page's own console.error calls are counted in it.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:'))
        errors.push(`tab ${tab.n} console: ${message.text()}`)
    })
    await page.goto(`${servers.appOrigin}/`)
    live.push(tab)
    return tab
  }

  async function collectRejections(tab: Tab) {
    const rejections = await call(tab, (page) => page.evaluate(() => window.keeperPage.rejections))
    for (const rejection of rejections ?? []) errors.push(`tab ${tab.n} unhandled rejection: ${rejection}`)
  }

  async function crash(tab: Tab) {
    const cdp: CDPSession = await context.newCDPSession(tab.page)
    const crashed = tab.page.waitForEvent('crash')
    // The command never gets an answer: the process that would send it is gone.
    cdp.send('Page.crash').catch(() => {})
    await crashed
    await tab.page.close()
  }

  async function step(ms: number): Promise<Map<Tab, TabReport>> {
    time.now += ms
    const reports = new Map<Tab, TabReport>()
    await Promise.all(
      [...live].map(async (tab) => {
        const report = await call(tab, (page) => page.evaluate((by) => window.keeperPage.step(by), ms))
        if (report) reports.set(tab, report)
      }),
    )
    return reports
  }

  async function leaders(): Promise<Tab[]> {
    const flags = await Promise.all(
      live.map((tab) => call(tab, (page) => page.evaluate(() => window.keeperPage.report(false).leader))),
    )
    return live.filter((_, i) => flags[i] === true)
  }

  return {
    live,
    open,
    async reload(tab) {
      await collectRejections(tab)
      await tab.page.reload()
    },
    async close(tab) {
      await collectRejections(tab)
      drop(tab)
      await tab.page.close()
    },
    async crash(tab) {
      await collectRejections(tab)
      drop(tab)
      await crash(tab)
    },
    step,
    leaders,
    async untilNextTimer() {
      const next = await Promise.all(
        live.map((tab) => call(tab, (page) => page.evaluate(() => window.keeperPage.report(false).nextAt))),
      )
      const due = next.filter((at): at is number => typeof at === 'number')
      return due.length ? Math.max(0, Math.min(...due) - time.now) : Infinity
    },
    async settle(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        if ((await leaders()).length === 1) return true
        if (Date.now() > until) return false
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    async finish() {
      await Promise.all(live.map(collectRejections))
      return errors
    },
  }
}
