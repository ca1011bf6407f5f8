// One figure of RELIABILITY.md: asserted here, and written (when scripts/reliability.mjs runs the
// suite) to RELIABILITY_FIGURES so the script prints every figure as a plain line at the end.
import { appendFileSync } from 'node:fs'
import { expect } from 'vitest'

/** The goal a figure is held to: at most `max`, or at least `min`. */
export type Goal = { max: number } | { min: number }

/**
 * Records `value` under `name` and fails the test (softly: the other figures still print) when it
 * falls short of `goal`.
 *
 * @example
 * figure('hostile return_to values refused (%)', 100, { min: 100 })
 */
export function figure(name: string, value: number, goal: Goal): void {
  const met = 'max' in goal ? value <= goal.max : value >= goal.min
  const file = process.env.RELIABILITY_FIGURES
  if (file) appendFileSync(file, `${JSON.stringify({ name, value, goal, met })}\n`)
  if ('max' in goal) expect.soft(value, name).toBeLessThanOrEqual(goal.max)
  else expect.soft(value, name).toBeGreaterThanOrEqual(goal.min)
}
