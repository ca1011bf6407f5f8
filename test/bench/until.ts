// Shared by the Chromium benchmarks: waiting on page state with a bound, never a fixed sleep.

/** How long a benchmark waits for any one thing before it fails. */
export const WAIT = 15_000

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
