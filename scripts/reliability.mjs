// `pnpm test:reliability`: the reliability suite (vitest.reliability.config.ts) through the same
// runner as `pnpm test` (Chromium found or installed, `N passed, N failed`), then every figure as
// a plain line `figure: value (goal ...) ok|SHORT`. It fails when a test fails or a figure
// falls short of its goal, or when a figure was not measured at all.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const figures = `${root}.reliability-figures.jsonl`
rmSync(figures, { force: true })
const started = Date.now()
const run = spawnSync(
  process.execPath,
  [`${root}scripts/test.mjs`, '--config', 'vitest.reliability.config.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, RELIABILITY_FIGURES: figures } },
)
const lines = existsSync(figures)
  ? readFileSync(figures, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : []
rmSync(figures, { force: true })
console.log('\nReliability figures:')
for (const { name, value, goal, met } of lines) {
  const wanted = 'max' in goal ? `goal <= ${goal.max}` : `goal >= ${goal.min}`
  console.log(`${name}: ${value} (${wanted}) ${met ? 'ok' : 'SHORT'}`)
}
const short = lines.filter((line) => !line.met).length
console.log(`${lines.length} figures, ${short} short, in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(run.status === 0 && short === 0 && lines.length > 0 ? 0 : 1)
