import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// `pnpm test:reliability` (scripts/reliability.mjs): the figures of RELIABILITY.md, apart from
// the README's `pnpm test` line. Files run one at a time: each drives Chromium or thousands of
// messages, and the machine has two cores. `--expose-gc` lets the leak tests measure the heap
// after full collections (test/reliability/heap.ts).
const SOURCE = '@session-keeper/source'

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    name: 'reliability',
    environment: 'node',
    include: ['test/reliability/**/*.test.{ts,tsx}'],
    fileParallelism: false,
    execArgv: ['--expose-gc', '--no-flush-bytecode'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
