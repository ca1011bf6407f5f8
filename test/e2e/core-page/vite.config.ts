import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defineConfig } from 'vite'

// The e2e test page for @session-keeper/core (no React). `startCorePage()` in ../servers.ts
// serves it and defines `__KRATOS_URL__`; the fallback is fake-kratos's default port.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Workspace packages resolve to their `src` through this condition: no build needed.
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  define: { __KRATOS_URL__: JSON.stringify('http://localhost:4433') },
  // Pre-bundle core's dependencies at start so the dev server never reloads the page mid-test.
  optimizeDeps: { include: ['@session-keeper/core > ky', '@session-keeper/core > zustand/vanilla'] },
  server: { host: 'localhost' },
})
