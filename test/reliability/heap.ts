// Heap figures for the leak tests: the heap in use after full garbage collections, which needs
// Node's `--expose-gc` (vitest.reliability.config.ts passes it to the test workers). Machine code
// (V8's code spaces) is left out: it grows as hot functions get optimised, which is no leak.
import { getHeapSpaceStatistics } from 'node:v8'

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

const objectHeap = () =>
  getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0)

/**
 * Bytes of object heap (all but machine code) in use after collecting garbage until it stops shrinking (at most 10 rounds,
 * each after a turn of the event loop so finalisers and weak references settle).
 *
 * @example
 * const before = await heapAfterGc()
 * runCycles()
 * const growth = (await heapAfterGc()) - before
 */
export async function heapAfterGc(): Promise<number> {
  const collect = globalThis.gc
  if (!collect) throw new Error('heapAfterGc needs node --expose-gc (see vitest.reliability.config.ts)')
  let used = Number.POSITIVE_INFINITY
  for (let round = 0; round < 10; round++) {
    collect()
    await turn()
    const now = objectHeap()
    if (now >= used) return Math.min(now, used)
    used = now
  }
  return used
}
