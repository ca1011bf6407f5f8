import { mkdtemp, rm } from 'node:fs/promises'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FakeKratosOptions, startFakeKratos } from '@session-keeper/fake-kratos'
import { build, createServer, preview } from 'vite'

export type FakeKratos = Awaited<ReturnType<typeof startFakeKratos>>

/** Fake-kratos options a test may set; where the servers listen, CORS and return URLs are set here. */
export type ExtraKratosOptions = Omit<
  FakeKratosOptions,
  'host' | 'port' | 'publicUrl' | 'cors' | 'allowedReturnUrls' | 'defaultReturnUrl'
>

export interface DemoServers {
  /** The example app's URL, e.g. `http://localhost:41234/`. */
  appUrl: string
  kratos: FakeKratos
  close(): Promise<void>
}

/**
 * Both servers on the same host name, so the fake's host-only SameSite=Lax session cookie is
 * same-site for the app's cross-origin `fetch(..., { credentials: 'include' })`.
 */
export const HOST = 'localhost'
const APP_CONFIG = fileURLToPath(new URL('../../examples/react-app/vite.config.ts', import.meta.url))
const CORE_PAGE_CONFIG = fileURLToPath(new URL('./core-page/vite.config.ts', import.meta.url))
const REACT_PAGE_CONFIG = fileURLToPath(new URL('./react-page/vite.config.ts', import.meta.url))

/** A port nothing listens on right now (the app's origin must be known before the fake starts). */
async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port assigned')
  return address.port
}

/** Serves an app on `port` of {@link HOST}; resolves once it listens. */
type Serve = (
  configFile: string,
  port: number,
  define: Record<string, string>,
) => Promise<{ close(): Promise<void> }>

/** The Vite dev server: modules transformed on request (about 25 requests per page load). */
const serveDev: Serve = async (configFile, port, define) => {
  const vite = await createServer({
    configFile,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: HOST, port, strictPort: true },
    define,
  })
  try {
    await vite.listen()
  } catch (error) {
    await vite.close()
    throw error
  }
  return vite
}

/**
 * A production build into a temporary folder, served by `vite preview`: a page loads in a few
 * requests, so many tabs open quickly (tab tests and benchmarks).
 */
const serveBuilt: Serve = async (configFile, port, define) => {
  const outDir = await mkdtemp(join(tmpdir(), 'session-keeper-page-'))
  try {
    await build({ configFile, logLevel: 'warn', define, build: { outDir, emptyOutDir: true } })
    const server = await preview({
      configFile,
      logLevel: 'warn',
      // Unused by the preview itself; the example's backend route reads its settings from it.
      define,
      build: { outDir },
      preview: { host: HOST, port, strictPort: true },
    })
    return {
      close: async () => {
        await server.close()
        await rm(outDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(outDir, { recursive: true, force: true })
    throw error
  }
}

/**
 * Starts fake-kratos with `fakeOptions(appOrigin)`, then the app with `serveApp`. The fake needs
 * the app's origin and the app the fake's URL, so the app's port is picked first; if something
 * takes it meanwhile, both start again (three tries).
 */
export async function startPair(
  fakeOptions: (appOrigin: string) => FakeKratosOptions,
  serveApp: (port: number, kratos: FakeKratos) => Promise<{ close(): Promise<void> }>,
): Promise<DemoServers & { appOrigin: string }> {
  for (let attempt = 1; ; attempt++) {
    const appOrigin = `http://${HOST}:${await freePort()}`
    const kratos = await startFakeKratos(fakeOptions(appOrigin))
    let app: { close(): Promise<void> }
    try {
      app = await serveApp(Number(new URL(appOrigin).port), kratos)
    } catch (error) {
      await kratos.close()
      // Vite reports a taken strict port as "Port N is already in use", without an error code.
      if (attempt < 3 && /EADDRINUSE|already in use/.test(String(error))) continue
      throw error
    }
    return {
      appUrl: `${appOrigin}/`,
      appOrigin,
      kratos,
      close: async () => {
        await Promise.all([app.close(), kratos.close()])
      },
    }
  }
}

/**
 * Starts fake-kratos (CORS and return URLs for the app, `Date` exposed) and a Vite server for
 * the app that talks to it; see {@link startPair}.
 */
function startWithKratos(
  configFile: string,
  define: (kratosUrl: string) => Record<string, string>,
  serve: Serve = serveDev,
  kratosOptions: ExtraKratosOptions = {},
): Promise<DemoServers> {
  return startPair(
    (appOrigin) => ({
      ...kratosOptions,
      host: HOST,
      port: 0,
      cors: { origins: [appOrigin], exposedHeaders: ['Content-Type', 'Date'] },
      allowedReturnUrls: [`${appOrigin}/`],
      defaultReturnUrl: `${appOrigin}/`,
    }),
    (port, kratos) => serve(configFile, port, define(kratos.url)),
  )
}

/** The React test page (`react-page/`) against fake-kratos; it reads the fake's URL from `__KRATOS_URL__`. */
export function startReactPage(): Promise<DemoServers> {
  return startWithKratos(REACT_PAGE_CONFIG, (kratosUrl) => ({ __KRATOS_URL__: JSON.stringify(kratosUrl) }))
}

/** The example app (React) against fake-kratos; see {@link startWithKratos}. */
export function startDemo(): Promise<DemoServers> {
  return startWithKratos(APP_CONFIG, (kratosUrl) => ({
    'import.meta.env.VITE_KRATOS_URL': JSON.stringify(kratosUrl),
  }))
}

/**
 * The plain `@session-keeper/core` test page (`core-page/`, no React) against fake-kratos; its
 * `appUrl` is the page, which reads the fake's URL from `__KRATOS_URL__`. `built: true` serves a
 * production build (`vite build` + `vite preview`) instead of the dev server: for many tabs.
 */
export function startCorePage({ built = false } = {}): Promise<DemoServers> {
  return startWithKratos(
    CORE_PAGE_CONFIG,
    (kratosUrl) => ({ __KRATOS_URL__: JSON.stringify(kratosUrl) }),
    built ? serveBuilt : serveDev,
  )
}

/** The leader's whoami cadence in {@link startApp}'s build: short, so a revoked session shows soon. */
export const APP_POLL_INTERVAL = '3s'

/**
 * The example app as shipped: a production build (`vite build` + `vite preview`) against
 * fake-kratos, with the keeper on `window.sessionKeeper` (`VITE_E2E`) so tests can force a
 * check after moving the fake's clock. Fake options (e.g. `lifespan`) are not needed: tests
 * move the fake's clock instead; `kratos` sets others, e.g. `{ requiredAal: 'aal1' }`. The app's
 * backend route (`/api/session/extend`) extends through the fake's admin API.
 */
export function startApp({
  kratos,
  earliestPossibleExtend,
}: {
  kratos?: ExtraKratosOptions
  /** Kratos's `earliest_possible_extend`, given to the fake and to the app (`autoExtend`). */
  earliestPossibleExtend?: string
} = {}): Promise<DemoServers> {
  return startWithKratos(
    APP_CONFIG,
    (kratosUrl) => ({
      'import.meta.env.VITE_KRATOS_URL': JSON.stringify(kratosUrl),
      'import.meta.env.VITE_E2E': JSON.stringify('1'),
      'import.meta.env.VITE_POLL_INTERVAL': JSON.stringify(APP_POLL_INTERVAL),
      'import.meta.env.VITE_EARLIEST_POSSIBLE_EXTEND': JSON.stringify(earliestPossibleExtend ?? ''),
    }),
    serveProduction,
    { ...kratos, earliestPossibleExtend },
  )
}

/**
 * {@link serveBuilt} as shipped: production React and JSX. Vite and its React plugin follow
 * `NODE_ENV`, which vitest sets to `test`, so it is `production` while the build runs.
 */
const serveProduction: Serve = async (...args) => {
  const previous = process.env.NODE_ENV
  Object.assign(process.env, { NODE_ENV: 'production' }) // next's types make it read-only
  try {
    return await serveBuilt(...args)
  } finally {
    Object.assign(process.env, { NODE_ENV: previous })
  }
}

/** The example app with `/.ory` proxied to fake-kratos: see {@link startOryProxyDemo}. */
export interface OryProxyServers extends DemoServers {
  /** The app's origin, e.g. `http://localhost:41234`. */
  appOrigin: string
}

/**
 * fake-kratos standing in for an Ory Network project and the example app's real dev-server
 * config (`examples/react-app/vite.config.ts`) in `ORY_SDK_URL` mode, as `pnpm demo` runs it: the
 * app uses `/.ory`, which the dev server proxies to the fake. The fake listens on 127.0.0.1, a
 * different site from the app's `localhost`, and sets its cookies for its own domain
 * (`cookieDomain`), as a project does for `<project>.projects.oryapis.com`: a cookie only works
 * in the app if the proxy made it first-party, and the browser never reaches the fake directly.
 */
export function startOryProxyDemo(): Promise<OryProxyServers> {
  return startPair(
    (appOrigin) => ({
      host: '127.0.0.1',
      port: 0,
      cookieDomain: '127.0.0.1',
      allowedReturnUrls: [`${appOrigin}/`],
      defaultReturnUrl: `${appOrigin}/`,
    }),
    async (port, kratos) => {
      // The config reads ORY_SDK_URL when it loads, i.e. inside createServer.
      const previous = process.env.ORY_SDK_URL
      process.env.ORY_SDK_URL = kratos.url
      try {
        return await serveDev(APP_CONFIG, port, {
          'import.meta.env.VITE_KRATOS_URL': JSON.stringify('/.ory'),
        })
      } finally {
        if (previous === undefined) delete process.env.ORY_SDK_URL
        else process.env.ORY_SDK_URL = previous
      }
    },
  )
}
