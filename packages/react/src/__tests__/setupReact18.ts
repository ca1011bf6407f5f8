// Setup file of the "react-18" vitest project only. Vite's aliases send the suite's own
// `import 'react'` to React 18.3, but packages Node loads itself (react-dom, Testing Library)
// `require('react')` by Node's rules and would get the React 19 installed at the root. This
// sends those requires to the npm aliases `react-18` / `react-dom-18` too: one copy of React 18.
import Module from 'node:module'
import { dirname } from 'node:path'

const require = Module.createRequire(import.meta.url)
const dirs: Record<string, string> = {
  react: dirname(require.resolve('react-18/package.json')),
  'react-dom': dirname(require.resolve('react-dom-18/package.json')),
}

type Resolve = (request: string, ...rest: unknown[]) => string
const loader = Module as unknown as { _resolveFilename: Resolve }
const resolve = loader._resolveFilename
loader._resolveFilename = function (this: unknown, request, ...rest) {
  const [, name = '', subpath = ''] = /^(react|react-dom)(\/.*)?$/.exec(request) ?? []
  return resolve.call(this, dirs[name] ? dirs[name] + subpath : request, ...rest)
}
