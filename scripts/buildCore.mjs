// Builds @session-keeper/core into packages/core/dist when its sources are newer than the last
// build (about a second; nothing when up to date). The example app's backend route
// (examples/react-app/extendRoute.ts) imports `@session-keeper/core/server` from its Vite
// config, which Node loads as published code, not through the workspace's source condition;
// `pnpm demo` and the e2e tests run this first. It never deletes dist, so a test reading it
// meanwhile never finds it missing (`pnpm build` starts from an empty dist).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const core = fileURLToPath(new URL('../packages/core/', import.meta.url))
const root = fileURLToPath(new URL('..', import.meta.url))

/** The newest modification time among the files under `dir`, tests excluded. */
function newest(dir) {
  let time = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.parentPath.includes('__tests__')) {
      time = Math.max(time, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs)
    }
  }
  return time
}

/** Builds core unless dist is newer than every source; throws with tsc's output when it fails. */
export function buildCore() {
  let built = 0
  try {
    built = statSync(`${core}dist/server/index.js`).mtimeMs
  } catch {}
  if (built > newest(`${core}src`)) return
  const tsc = spawnSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', `${core}tsconfig.build.json`],
    { encoding: 'utf8' },
  )
  if (tsc.status !== 0) throw new Error(`building @session-keeper/core failed:\n${tsc.stdout}${tsc.stderr}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildCore()
