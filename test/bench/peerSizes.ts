// What an app ships for each library of the peer benchmark, min+gzip, with one esbuild
// configuration for all three: the configuration `@size-limit/preset-small-lib` uses (bundle,
// minify, ESM, browser), React external as an app already has it, `NODE_ENV` production, and the
// `process.env` reads Next.js would inline left unset (as in peers/vite.config.ts). Workspace
// packages resolve to their sources (`@session-keeper/source`), so no build is needed first.
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** The imports of each page in peers/ that come from the library (what the app pulls in). */
export const PEER_IMPORTS = {
  'session-keeper':
    "export { SessionKeeperProvider, useSession, useExpiryCountdown, useSessionKeeper } from '@session-keeper/react'",
  '@ory/elements-react': "export { SessionProvider, useSession } from '@ory/elements-react/client'",
  'next-auth': "export { SessionProvider, useSession, signOut } from 'next-auth/react'",
} as const

const UNSET = [
  'NEXTAUTH_URL',
  'NEXTAUTH_URL_INTERNAL',
  'VERCEL_URL',
  'VERCEL_ENV',
  'NEXT_PUBLIC_ORY_SDK_URL',
  'ORY_SDK_URL',
  '__NEXT_PRIVATE_ORIGIN',
]

/** min+gzip bytes of the bundle of `source` (an entry module's text). */
export async function shippedBytes(source: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    conditions: ['@session-keeper/source'],
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    define: {
      'process.env.NODE_ENV': '"production"',
      ...Object.fromEntries(UNSET.map((name) => [`process.env.${name}`, 'undefined'])),
    },
  })
  const [output] = result.outputFiles
  if (!output) throw new Error('esbuild wrote no bundle')
  return gzipSync(output.contents, { level: 9 }).length
}
