// Servers of the peer benchmark (peers.bench.ts): fake-kratos for the session-keeper and Ory
// pages, the next-auth stand-in (nextAuthEndpoint.ts) for the next-auth page, and one production
// build of the three pages (peers/) served by `vite preview`, which proxies `/api/auth` to the
// stand-in so next-auth's relative fetches and its cookie stay on the page's origin.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeKratos } from '@session-keeper/fake-kratos'
import { build, preview } from 'vite'
import { type NextAuthEndpoint, startNextAuthEndpoint } from './nextAuthEndpoint.js'

/** The pages and fake-kratos share a host name, so the fake's SameSite=Lax cookie is same-site. */
const HOST = 'localhost'
const CONFIG = fileURLToPath(new URL('./peers/vite.config.ts', import.meta.url))

export type FakeKratos = Awaited<ReturnType<typeof startFakeKratos>>

export interface PeerServers {
  /** The pages' origin, e.g. `http://localhost:41234`; the pages are `/keeper.html` and so on. */
  appOrigin: string
  kratos: FakeKratos
  nextAuth: NextAuthEndpoint
  close(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port assigned')
  return address.port
}

/**
 * Builds the pages as shipped (`NODE_ENV=production`: production React, next-auth without its dev
 * checks) and starts everything. The page port is picked before fake-kratos starts (its CORS
 * needs the origin); if something takes it meanwhile, all start again (three tries).
 */
export async function startPeerPages(): Promise<PeerServers> {
  const nextAuth = await startNextAuthEndpoint()
  const outDir = await mkdtemp(join(tmpdir(), 'session-keeper-peers-'))
  const cleanUp = async () => {
    await nextAuth.close()
    await rm(outDir, { recursive: true, force: true })
  }
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      const appOrigin = `http://${HOST}:${port}`
      const kratos = await startFakeKratos({
        host: HOST,
        port: 0,
        cors: { origins: [appOrigin], exposedHeaders: ['Content-Type', 'Date'] },
        allowedReturnUrls: [`${appOrigin}/`],
        defaultReturnUrl: `${appOrigin}/`,
      })
      try {
        await buildPages(outDir, kratos.url)
        const server = await preview({
          configFile: CONFIG,
          logLevel: 'warn',
          build: { outDir },
          preview: { host: HOST, port, strictPort: true, proxy: { '/api/auth': nextAuth.url } },
        })
        return {
          appOrigin,
          kratos,
          nextAuth,
          close: async () => {
            await Promise.all([server.close(), kratos.close()])
            await cleanUp()
          },
        }
      } catch (error) {
        await kratos.close()
        // Vite reports a taken strict port as "Port N is already in use", without an error code.
        if (attempt < 3 && /EADDRINUSE|already in use/.test(String(error))) continue
        throw error
      }
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

/** The pages as built know fake-kratos's URL (`__KRATOS_URL__`). */
async function buildPages(outDir: string, kratosUrl: string) {
  const previous = process.env.NODE_ENV
  Object.assign(process.env, { NODE_ENV: 'production' }) // next's types make it read-only
  try {
    await build({
      configFile: CONFIG,
      logLevel: 'warn',
      define: { __KRATOS_URL__: JSON.stringify(kratosUrl) },
      build: { outDir, emptyOutDir: true },
    })
  } finally {
    Object.assign(process.env, { NODE_ENV: previous })
  }
}
