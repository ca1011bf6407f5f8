import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { ADMIN_URL, API_KEY, appRequest, BASE_URL, HOUR, kratosStub, T0 } from './kratosStub.js'

// The server entry must load and run without the browser half: any of these imports would throw.
// vi.mock calls are hoisted, so each is written out.
vi.mock('zustand', () => {
  throw new Error('@session-keeper/core/server must not import zustand')
})
vi.mock('zustand/vanilla', () => {
  throw new Error('@session-keeper/core/server must not import zustand/vanilla')
})
vi.mock('ky', () => {
  throw new Error('@session-keeper/core/server must not import ky')
})
vi.mock('broadcast-channel', () => {
  throw new Error('@session-keeper/core/server must not import broadcast-channel')
})
vi.mock('react', () => {
  throw new Error('@session-keeper/core/server must not import react')
})
vi.mock('../../createSessionKeeper.js', () => {
  throw new Error('@session-keeper/core/server must not import createSessionKeeper')
})
vi.mock('../../connectTabs.js', () => {
  throw new Error('@session-keeper/core/server must not import connectTabs')
})

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Every source file the entry loads, following relative imports from index.ts. */
function importGraph(): Map<string, string> {
  const files = new Map<string, string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    const source = readFileSync(file, 'utf8')
    files.set(file, source)
    // Comments hold JSDoc examples that import the package: only code counts.
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    for (const [, specifier] of code.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      if (!specifier?.startsWith('.')) throw new Error(`${file} imports the package ${specifier}`)
      visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')))
    }
  }
  visit(join(SERVER_DIR, 'index.ts'))
  return files
}

describe('@session-keeper/core/server entry', () => {
  it('should load in Node without the keeper, zustand, ky, broadcast-channel or React', async () => {
    const server = await import('../index.js')

    expect(Object.keys(server).sort()).toEqual([
      'InvalidResponseError',
      'NetworkError',
      'ServerError',
      'SessionKeeperError',
      'createExtendHandler',
      'createMemoryClaimStore',
      'extendSession',
      'getSessionFromHeaders',
      'getSessionFromRequest',
      'isInvalidResponseError',
      'isNetworkError',
      'isServerError',
      'isSessionKeeperError',
      'parseDuration',
    ])
  })

  it('should import only its own relative modules, none of them browser or Node specific', () => {
    const files = importGraph()
    const names = [...files.keys()].map((file) => file.slice(join(SERVER_DIR, '..').length + 1)).sort()

    expect(names).toEqual([
      'SessionKeeperError.ts',
      'parseDuration.ts',
      'parseSession.ts',
      'server/ClaimStore.ts',
      'server/ExtendHandlerOptions.ts',
      'server/ExtendResponseBody.ts',
      'server/createExtendHandler.ts',
      'server/createFailSafeClaimStore.ts',
      'server/createMemoryClaimStore.ts',
      'server/extendSession.ts',
      'server/forwardWhoami.ts',
      'server/getSessionFromHeaders.ts',
      'server/getSessionFromRequest.ts',
      'server/index.ts',
      'server/isSameSiteRequest.ts',
      'server/jsonResponse.ts',
      'server/requestAdminSession.ts',
      'server/resolveExtendHandlerOptions.ts',
      'server/validate.ts',
      'types.ts',
    ])
    for (const [file, source] of files) {
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(code, file).not.toMatch(
        /\b(window|document|localStorage|sessionStorage|BroadcastChannel|navigator|process|Buffer|require|setTimeout|setInterval)\b/,
      )
    }
  })

  it('should extend a session with no DOM, through fetch, Request, Response, URL and AbortSignal only', async () => {
    const { createExtendHandler } = await import('../index.js')
    const kratos = kratosStub({ expiresAt: T0 + HOUR })
    const handler = createExtendHandler({
      baseUrl: BASE_URL,
      adminUrl: ADMIN_URL,
      apiKey: API_KEY,
      fetch: kratos.fetch,
      now: () => T0,
    })
    const request = appRequest()
    // No DOM here (the `node` environment); the source scan above rules out Node-only globals.
    for (const name of ['window', 'document', 'localStorage', 'XMLHttpRequest']) {
      expect(name in globalThis, name).toBe(false)
    }

    const response = await handler(request)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      extended: true,
      expires_at: new Date(T0 + 24 * HOUR).toISOString(),
    })
  })
})
