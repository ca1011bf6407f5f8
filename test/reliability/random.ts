// A seeded random source for the chaos and soak tests: the seed is RELIABILITY_SEED when set,
// else a new one, and the test prints it so that a failing run can be replayed.

/** A seeded generator (mulberry32) with the seed it started from. */
export interface Random {
  readonly seed: number
  /** A number in [0, 1). */
  next(): number
  /** One element of `items`, which must not be empty. */
  pick<T>(items: readonly T[]): T
}

/**
 * A generator seeded from `RELIABILITY_SEED`, or from the clock; `name` only labels the seed line.
 *
 * @example
 * const rng = random('leader chaos') // prints "leader chaos: seed 123456789"
 * rng.pick(['close', 'crash'])
 */
export function random(name: string): Random {
  const fromEnv = Number(process.env.RELIABILITY_SEED)
  const seed = Number.isInteger(fromEnv) && process.env.RELIABILITY_SEED ? fromEnv : Date.now() % 2 ** 31
  console.log(`${name}: seed ${seed} (RELIABILITY_SEED=${seed} replays it)`)
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
  return {
    seed,
    next,
    pick(items) {
      if (!items.length) throw new Error('pick from no items')
      return items[Math.floor(next() * items.length)] as (typeof items)[number]
    },
  }
}
