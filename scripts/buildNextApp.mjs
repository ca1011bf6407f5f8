// Builds the Next.js example (examples/next-app) for `next start`, unless its last build is
// newer than everything it is made of: its own sources, the core and React packages' sources and
// the lockfile. Up to date, it costs a directory walk; otherwise `next build` takes about 30 s on
// two cores (the Next.js e2e test and `pnpm demo:next` run it first). The app imports the packages
// as published (their `dist`, which Next's bundler resolves), so those are built first, each
// only when its sources are newer.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildCore } from './buildCore.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
export const NEXT_APP = `${root}examples/next-app/`
const BUILD_ID = `${NEXT_APP}.next/BUILD_ID`

/** The newest modification time among `paths` (files, or folders walked), skipping build output and tests. */
function newest(paths) {
  let time = 0
  for (const path of paths) {
    if (!existsSync(path)) continue
    const stat = statSync(path)
    if (!stat.isDirectory()) {
      time = Math.max(time, stat.mtimeMs)
      continue
    }
    for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
      const dir = entry.parentPath
      if (
        !entry.isFile() ||
        /(^|\/)(__tests__|node_modules|\.next|dist)(\/|$)/.test(dir.slice(path.length))
      ) {
        continue
      }
      time = Math.max(time, statSync(`${dir}/${entry.name}`).mtimeMs)
    }
  }
  return time
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0)

/** Builds packages/react/dist when its sources are newer (tsc, about a second); never deletes dist. */
function buildReact() {
  const react = `${root}packages/react/`
  if (mtime(`${react}dist/index.js`) > newest([`${react}src`])) return
  const tsc = spawnSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', `${react}tsconfig.build.json`],
    { encoding: 'utf8' },
  )
  if (tsc.status !== 0) throw new Error(`building @session-keeper/react failed:\n${tsc.stdout}${tsc.stderr}`)
}

/** Whether `.next` is older than the app's sources, the packages' sources or the lockfile. */
export function nextAppIsStale() {
  const sources = [
    `${NEXT_APP}app`,
    `${NEXT_APP}next.config.ts`,
    `${NEXT_APP}package.json`,
    `${NEXT_APP}tsconfig.json`,
    `${root}packages/core/src`,
    `${root}packages/react/src`,
    `${root}pnpm-lock.yaml`,
  ]
  return mtime(BUILD_ID) <= newest(sources)
}

/**
 * Builds core, react and the app as needed; resolves when `next start` can serve it. Rejects
 * with `next build`'s output when it fails, or prints a warning.
 */
export async function buildNextApp() {
  buildCore()
  buildReact()
  if (!nextAppIsStale()) return
  const output = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${NEXT_APP}node_modules/next/dist/bin/next`, 'build'], {
      cwd: NEXT_APP,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (chunk) => {
      text += chunk
    })
    child.stderr.on('data', (chunk) => {
      text += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`next build failed:\n${text}`)),
    )
  })
  // "No warnings" is part of the example's contract: Next prints them with a ⚠ mark. One is
  // about the machine, not the app: on a clean clone under CI=true Next asks for a build cache.
  const warnings = output
    .split('\n')
    .filter((line) => /⚠|warn/i.test(line) && !/No build cache found/.test(line))
  if (warnings.length > 0) {
    throw new Error(`next build printed a warning (${warnings.join('; ')}):\n${output}`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildNextApp()
