import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

export default defineConfig({
  // Explicit, so the config works the same from `pnpm demo` (repo root), this folder and the e2e harness.
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Workspace packages resolve to their `src` through this condition: no build needed for the demo.
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  // Pre-bundle React at start so the dev server never reloads the page mid-session to add a dependency.
  optimizeDeps: { include: ['react', 'react/jsx-dev-runtime', 'react-dom/client'] },
  server: { port: 5173, host: 'localhost' },
})
