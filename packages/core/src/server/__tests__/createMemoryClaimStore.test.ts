import { describe, expect, it } from 'vitest'
import { createMemoryClaimStore } from '../createMemoryClaimStore.js'

const clocked = () => {
  const clock = { now: 0 }
  return { clock, store: createMemoryClaimStore({ now: () => clock.now }) }
}

describe('createMemoryClaimStore', () => {
  it('should give a free claim and report the ms left on a taken one', async () => {
    const { clock, store } = clocked()

    expect(await store.claim('a', 1_000)).toEqual({ claimed: true })
    clock.now = 400
    expect(await store.claim('a', 1_000)).toEqual({ claimed: false, retryAfter: 600 })
    clock.now = 1_000
    expect(await store.claim('a', 1_000)).toEqual({ claimed: true })
  })

  it('should prune expired claims as it goes, so it cannot grow without bound', async () => {
    const { clock, store } = clocked()
    for (let i = 0; i < 100; i++) {
      clock.now = i
      await store.claim(`old-${i}`, 1_000)
    }

    expect(store.size).toBe(100)
    clock.now = 1_050
    await store.claim('new', 1_000)

    // old-0 … old-50 have expired (at + 1000 <= 1050); old-51 … old-99 and new remain.
    expect(store.size).toBe(50)
    clock.now = 5_000
    await store.claim('later', 1_000)
    expect(store.size).toBe(1)
  })

  it('should keep time order when a session is claimed again, so pruning stays correct', async () => {
    const { clock, store } = clocked()
    await store.claim('a', 1_000)
    clock.now = 500
    await store.claim('b', 1_000)
    clock.now = 1_000
    await store.claim('a', 1_000) // a moves behind b

    clock.now = 1_600 // b (until 1500) has expired; a (until 2000) has not
    await store.claim('c', 1_000)

    expect(store.size).toBe(2)
    clock.now = 1_700
    expect(await store.claim('a', 1_000)).toEqual({ claimed: false, retryAfter: 300 })
  })

  it('should free a claim on release', async () => {
    const { store } = clocked()
    await store.claim('a', 1_000)

    await store.release('a')

    expect(store.size).toBe(0)
    expect(await store.claim('a', 1_000)).toEqual({ claimed: true })
  })

  it('should throw a TypeError naming a bad clock', () => {
    expect(() => createMemoryClaimStore({ now: 5 as never })).toThrow(/"now" must be a function/)
  })
})
