import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// The e2e test page for @session-keeper/react (../react.test.ts). `startReactPage()` in
// ../reactPage.ts serves it and defines `__KRATOS_URL__`; the fallback is fake-kratos's default port.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // A cache of its own: Vite servers of other configs sharing one (the default, the repository's
  // node_modules/.vite) re-optimize over each other's files when test files run in parallel.
  cacheDir: fileURLToPath(new URL('../../../node_modules/.vite/react-page', import.meta.url)),
  plugins: [react()],
  // Workspace packages resolve to their `src` through this condition: no build needed.
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  define: { __KRATOS_URL__: JSON.stringify('http://localhost:4433') },
  // Pre-bundle every dependency at start so the dev server never reloads the page mid-test.
  optimizeDeps: {
    include: [
      'react',
      'react/jsx-dev-runtime',
      'react-dom/client',
      '@session-keeper/core > ky',
      '@session-keeper/core > zustand/vanilla',
      '@session-keeper/core > broadcast-channel',
    ],
  },
  // Transform the page at start, so dependencies are found before the first tab loads.
  server: { host: 'localhost', warmup: { clientFiles: ['./main.tsx'] } },
})
