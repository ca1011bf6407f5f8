// Packaging checks on what npm would really publish: pack each package with pnpm (so
// `workspace:*` becomes a version), then `publint --strict` and `attw --profile esm-only`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name) => join(root, 'node_modules/.bin', name)
const packages = ['core', 'react', 'devtools', 'fake-kratos']
const out = mkdtempSync(join(tmpdir(), 'session-keeper-pack-'))
let failed = 0

try {
  for (const name of packages) {
    const dir = join(root, 'packages', name)
    const run = (cmd, args) => {
      console.log(`\n$ ${[cmd.replace(`${root}node_modules/.bin/`, ''), ...args].join(' ')}`)
      try {
        execFileSync(cmd, args, { cwd: dir, stdio: 'inherit' })
      } catch {
        failed++
      }
    }
    const before = new Set(readdirSync(out))
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'ignore' })
    const tarball = readdirSync(out).find((file) => !before.has(file))
    run(bin('publint'), ['--strict', '--pack', 'pnpm'])
    run(bin('attw'), [join(out, tarball), '--profile', 'esm-only'])
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
if (failed) {
  console.error(`\n${failed} packaging check(s) failed`)
  process.exit(1)
}
console.log('\npublint and attw: clean')
