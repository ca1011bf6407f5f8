// Shared by the Chromium benchmarks: counts from the environment, wall-clock instants,
// percentiles, and waiting on page state with a bound, never a fixed sleep.

/** How long a benchmark waits for any one thing before it fails. */
export const WAIT = 15_000

/** A positive integer from the environment variable `name`, or `fallback`; throws naming it otherwise. */
export function count(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer`)
  return value
}

/** An instant comparable across the processes of one machine (pages take theirs the same way). */
export const wallClock = () => performance.timeOrigin + performance.now()

/** The `p`th percentile (nearest rank) of `values`; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Milliseconds as a table cell. */
export const ms = (value: number) => value.toFixed(1)

/** Polls `read` every 10 ms until it returns something, for at most {@link WAIT} ms; throws naming `what`. */
export async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT
  while (Date.now() < deadline) {
    const value = await read()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}
