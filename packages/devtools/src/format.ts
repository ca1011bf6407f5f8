/**
 * A duration as people read it: `850 ms`, `12.3 s`, `4 min 12 s`, `2 h 5 min`; `-` for null.
 *
 * @example
 * formatDuration(252_000) // '4 min 12 s'
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-'
  const sign = ms < 0 ? '-' : ''
  const abs = Math.abs(ms)
  if (abs < 1_000) return `${sign}${Math.round(abs)} ms`
  if (abs < 60_000) return `${sign}${Math.round(abs / 100) / 10} s`
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)} min ${Math.floor((abs % 60_000) / 1_000)} s`
  return `${sign}${Math.floor(abs / 3_600_000)} h ${Math.floor((abs % 3_600_000) / 60_000)} min`
}

/**
 * A keeper time as a wall-clock time of day with milliseconds, `10:04:12.345`.
 *
 * @example
 * formatTime(Date.now())
 */
export function formatTime(at: number): string {
  const date = new Date(at)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
}
