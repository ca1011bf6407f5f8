import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// The three pages of the peer benchmark (../peers.bench.ts), one build. `startPeerPages()` in
// ../peerServers.ts builds and serves them and defines `__KRATOS_URL__`.
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

export default defineConfig({
  root: here('.'),
  cacheDir: here('../../../node_modules/.vite/bench-peers'),
  plugins: [react()],
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  define: {
    __KRATOS_URL__: JSON.stringify('http://localhost:4433'),
    // Read at import by next-auth/react and Ory's config helpers, which expect Next.js to inline
    // them; unset here, as in an app that sets none (next-auth then uses `/api/auth`).
    'process.env.NEXTAUTH_URL': 'undefined',
    'process.env.NEXTAUTH_URL_INTERNAL': 'undefined',
    'process.env.VERCEL_URL': 'undefined',
    'process.env.VERCEL_ENV': 'undefined',
    'process.env.NEXT_PUBLIC_ORY_SDK_URL': 'undefined',
    'process.env.ORY_SDK_URL': 'undefined',
    'process.env.__NEXT_PRIVATE_ORIGIN': 'undefined',
  },
  build: {
    rolldownOptions: {
      input: { keeper: here('keeper.html'), ory: here('ory.html'), nextauth: here('nextauth.html') },
    },
  },
})
