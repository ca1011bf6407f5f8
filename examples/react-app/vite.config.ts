import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite'

/**
 * With `ORY_SDK_URL` (e.g. `https://<project>.projects.oryapis.com`) the dev server proxies `/.ory`
 * to the Ory project, as Ory's tunnel does: the session cookie is then first-party to the app
 * (its Domain attribute is dropped), and redirects to the project come back through the proxy.
 * `pnpm demo` then sets `VITE_KRATOS_URL=/.ory`.
 */
function oryProxy(target: string): Record<string, ProxyOptions> {
  const origin = new URL(target).origin
  return {
    '/.ory': {
      target: origin,
      changeOrigin: true,
      rewrite: (path) => path.replace(/^\/\.ory/, ''),
      cookieDomainRewrite: { '*': '' },
      configure(proxy) {
        proxy.on('proxyRes', (response, request) => {
          const location = response.headers.location
          const host = request.headers.host
          if (location?.startsWith(origin) && host) {
            response.headers.location = `http://${host}/.ory${location.slice(origin.length)}`
          }
        })
      },
    },
  }
}

const ory = process.env.ORY_SDK_URL?.trim()

export default defineConfig({
  // Explicit, so the config works the same from `pnpm demo` (repo root), this folder and the e2e harness.
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Workspace packages resolve to their `src` through this condition: no build needed for the demo.
  resolve: { conditions: ['@session-keeper/source', ...defaultClientConditions] },
  // Pre-bundle at start so the dev server never reloads the page mid-session to add a dependency.
  optimizeDeps: { include: ['react', 'react/jsx-dev-runtime', 'react-dom/client', 'react-router'] },
  server: { port: 5173, host: 'localhost', proxy: ory ? oryProxy(ory) : undefined },
})
