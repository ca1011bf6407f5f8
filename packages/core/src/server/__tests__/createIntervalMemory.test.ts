import { describe, expect, it } from 'vitest'
import { createIntervalMemory } from '../createIntervalMemory.js'

describe('createIntervalMemory', () => {
  it('should reserve a free slot and report the ms left on a taken one', () => {
    const memory = createIntervalMemory(1_000)

    expect(memory.reserve('a', 0)).toBe(0)
    expect(memory.reserve('a', 400)).toBe(600)
    expect(memory.reserve('a', 1_000)).toBe(0)
  })

  it('should prune entries older than the interval as it goes, so it cannot grow without bound', () => {
    const memory = createIntervalMemory(1_000)
    for (let i = 0; i < 100; i++) memory.reserve(`old-${i}`, i)

    expect(memory.size).toBe(100)
    memory.reserve('new', 1_050)

    // old-0 … old-50 have expired (at + 1000 <= 1050); old-51 … old-99 and new remain.
    expect(memory.size).toBe(50)
    memory.reserve('later', 5_000)
    expect(memory.size).toBe(1)
  })

  it('should keep time order when a session is reserved again, so pruning stays correct', () => {
    const memory = createIntervalMemory(1_000)
    memory.reserve('a', 0)
    memory.reserve('b', 500)
    memory.reserve('a', 1_000) // a moves behind b

    memory.reserve('c', 1_600) // b (500) has expired; a (1000) has not

    expect(memory.size).toBe(2)
    expect(memory.reserve('a', 1_700)).toBe(300)
  })

  it('should free a slot on release', () => {
    const memory = createIntervalMemory(1_000)
    memory.reserve('a', 0)

    memory.release('a')

    expect(memory.size).toBe(0)
    expect(memory.reserve('a', 1)).toBe(0)
  })
})
