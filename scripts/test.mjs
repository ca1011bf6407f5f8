// `pnpm test`: every test (unit, react, contract, real Chromium), then the plain line
// `N passed, N failed` that CI reads. It never skips the browser tests: it finds Chromium,
// installs Debian's when it may, or stops saying how to get one.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const results = `${root}.vitest-results.json`

function findChromium() {
  const wanted = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (existsSync(wanted)) return wanted
  if (process.env.CHROMIUM_PATH) {
    fail(`CHROMIUM_PATH is ${wanted}, but there is no file there.`)
  }
  const isRoot = process.getuid?.() === 0
  if (isRoot && existsSync('/etc/debian_version')) {
    console.log("No Chromium at /usr/bin/chromium: installing Debian's chromium package (about a minute).")
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
      const { status } = spawnSync('apt-get', args, { stdio: 'inherit', env })
      if (status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${status}).`)
    }
    if (existsSync(wanted)) return wanted
  }
  fail(
    'The browser tests need Chromium and none was found at /usr/bin/chromium.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
      '  Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium',
  )
}

function fail(message) {
  console.error(`\n${message}\n`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}

const chromium = findChromium()
rmSync(results, { force: true })
const vitest = spawnSync(
  process.execPath,
  [
    `${root}node_modules/vitest/vitest.mjs`,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } },
)

if (!existsSync(results)) fail(`vitest wrote no results (exit ${vitest.status ?? vitest.signal}).`)
const report = JSON.parse(readFileSync(results, 'utf8'))
rmSync(results, { force: true })
// A file that fails to load has no failed test in it but is a failure all the same.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length
const passed = report.numPassedTests
const failed = report.numFailedTests + brokenFiles
if (passed + failed === 0) fail('No test ran.')
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 && vitest.status === 0 ? 0 : 1)
