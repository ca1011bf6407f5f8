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

// One part of a Go duration: a decimal number and its unit, e.g. "1.5h" or "250ms".
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g

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
  let total = 0
  // Summing while stripping the parts: the string is valid when nothing else is left.
  const rest =
    typeof value === 'string' && value !== '0'
      ? value.replace(PART, (_, amount: string, unit: string) => {
          total += Number(amount) * (UNITS[unit] as number)
          return ''
        })
      : ''
  if (typeof value === 'number' ? value >= 0 && Number.isFinite(value) : value && !rest) {
    return typeof value === 'number' ? value : total
  }
  throw new TypeError(
    `Invalid duration ${typeof value === 'string' ? JSON.stringify(value) : value}: use ms or a duration like "1h30m"`,
  )
}
