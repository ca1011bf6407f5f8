import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'
import { extendRoute } from './extendRoute.js'
import { oryProxy } from './oryProxy.js'

// With `ORY_SDK_URL` (e.g. `https://<project>.projects.oryapis.com`) the dev server proxies `/.ory`
// to the Ory project as Ory's tunnel does (see oryProxy.ts); `pnpm demo` then sets
// `VITE_KRATOS_URL=/.ory`. Read when the config loads.
const ory = process.env.ORY_SDK_URL?.trim()

export default defineConfig({
  // Explicit, so the config works the same from `pnpm demo` (repo root), this folder and the e2e harness.
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), extendRoute()],
  // Workspace packages resolve to their `src` through this condition: no build needed for the demo.
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  // Pre-bundle at start so the dev server never reloads the page mid-session to add a dependency.
  optimizeDeps: { include: ['react', 'react/jsx-dev-runtime', 'react-dom/client', 'react-router'] },
  server: { port: 5173, host: 'localhost', proxy: ory ? oryProxy(ory) : undefined },
})
