import { createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type FakeKratos, startFakeKratos } from '@session-keeper/fake-kratos'
import { createServer, type ViteDevServer } from 'vite'

/** The React test page (`react-page/`) and the fake-kratos it talks to. */
export interface ReactPageServers {
  /** The page's URL, e.g. `http://localhost:41234/`. */
  pageUrl: string
  kratos: FakeKratos
  close(): Promise<void>
}

/**
 * Both servers on the same host name, so the fake's host-only SameSite=Lax session cookie is
 * same-site for the page's cross-origin `fetch(..., { credentials: 'include' })`.
 */
const HOST = 'localhost'
const CONFIG = fileURLToPath(new URL('./react-page/vite.config.ts', import.meta.url))

/** A port nothing listens on right now (the page's origin must be known before the fake starts). */
async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port assigned')
  return address.port
}

/**
 * Starts fake-kratos (CORS for the page's origin with `Content-Type` and `Date` exposed, the page
 * as an allowed return URL) and the Vite dev server for `react-page/`, which reads the fake's URL
 * from `__KRATOS_URL__`. The page's port is picked first; if something takes it meanwhile, both
 * start again.
 */
export async function startReactPage(): Promise<ReactPageServers> {
  for (let attempt = 1; ; attempt++) {
    const pageOrigin = `http://${HOST}:${await freePort()}`
    const kratos = await startFakeKratos({
      host: HOST,
      port: 0,
      cors: { origins: [pageOrigin], exposedHeaders: ['Content-Type', 'Date'] },
      allowedReturnUrls: [`${pageOrigin}/`],
      defaultReturnUrl: `${pageOrigin}/`,
    })
    let vite: ViteDevServer | undefined
    try {
      vite = await createServer({
        configFile: CONFIG,
        logLevel: 'warn',
        clearScreen: false,
        server: { host: HOST, port: Number(new URL(pageOrigin).port), strictPort: true },
        define: { __KRATOS_URL__: JSON.stringify(kratos.url) },
      })
      await vite.listen()
    } catch (error) {
      await Promise.all([vite?.close(), kratos.close()])
      // Vite reports a taken strict port as "Port N is already in use", without an error code.
      if (attempt < 3 && /EADDRINUSE|already in use/.test(String(error))) continue
      throw error
    }
    const server = vite
    return {
      pageUrl: `${pageOrigin}/`,
      kratos,
      close: async () => {
        await Promise.all([server.close(), kratos.close()])
      },
    }
  }
}
