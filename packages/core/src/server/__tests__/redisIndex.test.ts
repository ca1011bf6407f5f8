import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'

// The Redis entry runs on the app's own client: it must load without the redis package (an
// optional peer) and without the keeper. vi.mock calls are hoisted, so each is written out.
vi.mock('redis', () => {
  throw new Error('@session-keeper/core/server/redis must not import redis at run time')
})
vi.mock('@redis/client', () => {
  throw new Error('@session-keeper/core/server/redis must not import @redis/client at run time')
})
vi.mock('../../createSessionKeeper.js', () => {
  throw new Error('@session-keeper/core/server/redis must not import createSessionKeeper')
})

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../..')

describe('@session-keeper/core/server/redis entry', () => {
  it('should load without the redis package and export only the store factory', async () => {
    const entry = await import('../redis/index.js')

    expect(Object.keys(entry)).toEqual(['createRedisClaimStore'])
  })

  it('should import at run time only the files of its own folder, and no Node or browser global', () => {
    const source = readFileSync(join(SRC, 'server/redis/createRedisClaimStore.ts'), 'utf8')
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    const runtimeImports = [...code.matchAll(/^import (?!type )[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1])

    expect(runtimeImports).toEqual([])
    expect(code).not.toMatch(/\b(window|document|process|Buffer|require|setTimeout|setInterval)\b/)
  })
})
