import { createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { startFakeKratos } from '@session-keeper/fake-kratos'
import { createServer, type ViteDevServer } from 'vite'

export type FakeKratos = Awaited<ReturnType<typeof startFakeKratos>>

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
const HOST = 'localhost'
const APP_CONFIG = fileURLToPath(new URL('../../examples/react-app/vite.config.ts', import.meta.url))
const CORE_PAGE_CONFIG = fileURLToPath(new URL('./core-page/vite.config.ts', import.meta.url))

/** A port nothing listens on right now (the app's origin must be known before the fake starts). */
async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port assigned')
  return address.port
}

/**
 * Starts fake-kratos (CORS and return URLs for the app, `Date` exposed) and a Vite dev server for
 * the app that talks to it. The fake needs the app's origin and the app the fake's URL, so the
 * app's port is picked first; if something takes it meanwhile, both start again.
 */
async function startWithKratos(
  configFile: string,
  define: (kratosUrl: string) => Record<string, string>,
): Promise<DemoServers> {
  for (let attempt = 1; ; attempt++) {
    const appOrigin = `http://${HOST}:${await freePort()}`
    const kratos = await startFakeKratos({
      host: HOST,
      port: 0,
      cors: { origins: [appOrigin], exposedHeaders: ['Content-Type', 'Date'] },
      allowedReturnUrls: [`${appOrigin}/`],
      defaultReturnUrl: `${appOrigin}/`,
    })
    let vite: ViteDevServer | undefined
    try {
      vite = await createServer({
        configFile,
        logLevel: 'warn',
        clearScreen: false,
        server: { host: HOST, port: Number(new URL(appOrigin).port), strictPort: true },
        define: define(kratos.url),
      })
      await vite.listen()
    } catch (error) {
      await Promise.all([vite?.close(), kratos.close()])
      // Vite reports a taken strict port as "Port N is already in use", without an error code.
      if (attempt < 3 && /EADDRINUSE|already in use/.test(String(error))) continue
      throw error
    }
    const app = vite
    return {
      appUrl: `${appOrigin}/`,
      kratos,
      close: async () => {
        await Promise.all([app.close(), kratos.close()])
      },
    }
  }
}

/** The example app (React) against fake-kratos; see {@link startWithKratos}. */
export function startDemo(): Promise<DemoServers> {
  return startWithKratos(APP_CONFIG, (kratosUrl) => ({
    'import.meta.env.VITE_KRATOS_URL': JSON.stringify(kratosUrl),
  }))
}

/**
 * The plain `@session-keeper/core` test page (`core-page/`, no React) against fake-kratos; its
 * `appUrl` is the page, which reads the fake's URL from `__KRATOS_URL__`.
 */
export function startCorePage(): Promise<DemoServers> {
  return startWithKratos(CORE_PAGE_CONFIG, (kratosUrl) => ({ __KRATOS_URL__: JSON.stringify(kratosUrl) }))
}
