// The example app's Vite config loads its backend route, which imports the built
// `@session-keeper/core/server` (see scripts/buildCore.mjs): build core once before the e2e files.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export default function setup() {
  const script = fileURLToPath(new URL('../../scripts/buildCore.mjs', import.meta.url))
  const { status, stderr } = spawnSync(process.execPath, [script], { encoding: 'utf8' })
  if (status !== 0) throw new Error(stderr)
}
