/**
 * A duration: milliseconds as a number, or a Go/Ory duration string such as `"720h0m0s"`,
 * `"1h1m10s"`, `"15m"`, `"10s"` or `"250ms"`, so values can be copied from an Ory config.
 */
export type Duration = number | string

// Go's time.ParseDuration units, in milliseconds.
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
}

const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`
const UNIT = '(ns|us|µs|μs|ms|s|m|h)'
const PART = new RegExp(NUMBER + UNIT, 'g')
const WHOLE = new RegExp(`^(?:${NUMBER}${UNIT})+$|^0$`)

/**
 * Parses a {@link Duration} into milliseconds. Accepts what Go's `time.ParseDuration` accepts
 * (Ory's config format) without a sign, or a finite number of milliseconds >= 0.
 * Throws a `TypeError` that quotes the bad value, so option errors name what is wrong.
 *
 * @example
 * parseDuration('1h1m10s') // 3_670_000
 * parseDuration('720h0m0s') // 2_592_000_000
 * parseDuration(5_000) // 5_000
 */
export function parseDuration(value: Duration): number {
  if (typeof value === 'number' ? !(value >= 0 && value < Number.POSITIVE_INFINITY) : !WHOLE.test(value)) {
    throw new TypeError(
      `Invalid duration ${typeof value === 'string' ? JSON.stringify(value) : value}: use ms >= 0 or "1h30m", "15m", "10s", "250ms"`,
    )
  }
  if (typeof value === 'number') return value
  let total = 0
  for (const [, amount, unit] of value.matchAll(PART)) {
    total += Number(amount) * (UNITS[unit as string] as number)
  }
  return total
}
